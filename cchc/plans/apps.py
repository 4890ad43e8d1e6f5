from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self) -> None:
        from .jobs import register_jobs

        register_jobs()
