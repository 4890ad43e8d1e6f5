from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """CCHC inspections (kiểm tra công tác CCHC): yearly plans, inspections, conclusions and the
    remediation of what they found, to closure (docs/inspections.md)."""

    name = "cchc.inspections"
    verbose_name = "Kiểm tra công tác CCHC"

    def ready(self) -> None:
        # Imported here: models may only be imported once the app registry is ready.
        from cchc.core.indicator_sources import providers

        from .source import INSPECTION_SOURCE

        providers.register(INSPECTION_SOURCE)
