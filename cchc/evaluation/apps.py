from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The CCHC index of units (PAR Index pattern): frameworks, rounds, appraisal, results."""

    name = "cchc.evaluation"
    verbose_name = "Chỉ số CCHC"
