from django.urls import path

from . import views

app_name = "api_clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("tao/", views.client_create, name="create"),
    path("<int:pk>/thu-hoi/", views.client_revoke, name="revoke"),
]
