from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cchc.portal"
    verbose_name = "Cổng công khai"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready. The
        # portal's cached figures are dropped when a dossier or a plan changes (docs/portal.md).
        from cchc.dossiers.observers import observers as dossier_observers
        from cchc.plans.observers import observers as plan_observers

        from .freshness import DOSSIER_FIGURES_CHANGED, PLAN_FIGURES_CHANGED

        dossier_observers.register(DOSSIER_FIGURES_CHANGED)
        plan_observers.register(PLAN_FIGURES_CHANGED)

        # The audit log's words for the actions named after a choice of the apps below
        # (cchc.core.audit_labels): dossier events, feedback events, report reviews.
        from cchc.core.audit_labels import register_family
        from cchc.dossiers.choices import EventKind
        from cchc.dossiers.models.feedback import FeedbackEventKind
        from cchc.reports.models import ReportReview

        register_family("dossier", "Hồ sơ", EventKind.choices)
        register_family("feedback", "Phản ánh, kiến nghị", FeedbackEventKind.choices)
        register_family("report", "Báo cáo", ReportReview.Decision.choices)
