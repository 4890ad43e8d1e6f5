from django.urls import path

from . import views

app_name = "index766"
urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("don-vi/<int:pk>/tinh-lai/", views.recompute, name="recompute"),
    path("don-vi/<int:pk>/chung-thuc-dien-tu/", views.certified_copy, name="certified_copy"),
]
