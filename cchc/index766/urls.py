from django.urls import path  # noqa: F401

app_name = "index766"
urlpatterns: list = []
