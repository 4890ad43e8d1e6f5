from django.apps import AppConfig


class ManualIndicatorsConfig(AppConfig):
    name = "cchc.manual_indicators"
    verbose_name = "Chỉ số báo cáo thủ công"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready.
        from cchc.core.indicator_sources import providers

        from .source import MANUAL_SOURCE

        providers.register(MANUAL_SOURCE)
