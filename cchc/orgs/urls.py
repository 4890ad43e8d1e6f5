from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/them-don-vi/", views.unit_add, name="unit_add"),
    path("<int:pk>/them-nguoi-dung/", views.user_add, name="user_add"),
    path("<int:pk>/gio-lam-viec/", views.work_schedule, name="work_schedule"),
    path("phan-quyen/<int:membership_id>/thu-hoi/", views.membership_revoke, name="membership_revoke"),
]
