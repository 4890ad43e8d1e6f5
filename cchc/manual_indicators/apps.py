from django.apps import AppConfig


class ManualIndicatorsConfig(AppConfig):
    name = "cchc.manual_indicators"
    verbose_name = "Chỉ số báo cáo thủ công"
