from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "cchc.exchange"
    verbose_name = "Trao đổi dữ liệu hồ sơ"
