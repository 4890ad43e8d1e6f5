from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API v1 for the province's other systems (docs/api.md): registered clients with
    hashed tokens and scopes, read endpoints over units, procedures, plans, targets, tasks and
    indicators, and writes for the one-stop system's dossier events and progress reports."""

    name = "cchc.api"
    verbose_name = "API kết nối"
