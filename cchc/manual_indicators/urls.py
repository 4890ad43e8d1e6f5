from django.urls import path

from . import views

app_name = "manual_indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.definition_create, name="create"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/sua/", views.definition_edit, name="edit"),
    path("<int:pk>/xoa/", views.definition_delete, name="delete"),
    path("<int:pk>/bao-cao/", views.report, name="report"),
]
