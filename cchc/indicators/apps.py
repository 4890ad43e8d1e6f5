from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    verbose_name = "Chỉ số hồ sơ"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready.
        from cchc.core.indicator_sources import providers
        from cchc.dossiers.observers import observers

        from .live import LIVE_TOTALS
        from .sources import DOSSIER_SOURCE

        observers.register(LIVE_TOTALS)
        providers.register(DOSSIER_SOURCE)
