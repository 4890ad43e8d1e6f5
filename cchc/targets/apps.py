from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "cchc.targets"
    verbose_name = "Chỉ tiêu và chỉ số đo"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready.
        from cchc.plans.observers import observers

        from .services import SUGGEST_ON_IMPORT

        observers.register(SUGGEST_ON_IMPORT)
