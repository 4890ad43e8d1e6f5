from django.apps import AppConfig


class Index766Config(AppConfig):
    name = "cchc.index766"
    verbose_name = "Chỉ số phục vụ 766"
