from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "cchc.procedures"
    verbose_name = "Thủ tục hành chính"
