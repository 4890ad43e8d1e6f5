from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Satisfaction surveys (SIPAS): questionnaires, campaigns, answers, results."""

    name = "cchc.surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self) -> None:
        from cchc.core.indicator_sources import providers

        from .source import SURVEY_SOURCE

        providers.register(SURVEY_SOURCE)
