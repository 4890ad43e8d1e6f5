from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    verbose_name = "Chỉ số hồ sơ"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready.
        from cchc.dossiers.observers import observers

        from .live import LIVE_TOTALS

        observers.register(LIVE_TOTALS)
