from django.apps import AppConfig


class Index766Config(AppConfig):
    name = "cchc.index766"
    verbose_name = "Chỉ số phục vụ 766"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready.
        from cchc.core.indicator_sources import providers

        from .source import INDEX766_SOURCE

        providers.register(INDEX766_SOURCE)
