from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    verbose_name = "Chỉ số hồ sơ"
