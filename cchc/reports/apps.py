from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Periodic CCHC reports: calendar, drafts written from the data, review, roll-up, documents."""

    name = "cchc.reports"
    verbose_name = "Báo cáo định kỳ CCHC"

    def ready(self) -> None:
        from .jobs import register_jobs

        register_jobs()
