from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from . import collation  # noqa: F401  (registers the SQLite collation `vi` on each connection)
