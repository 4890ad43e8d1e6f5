from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Satisfaction surveys (SIPAS): questionnaires, campaigns, answers, results."""

    name = "cchc.surveys"
    verbose_name = "Khảo sát sự hài lòng"

