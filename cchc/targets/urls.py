from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("<int:pk>/", views.plan_targets, name="plan_targets"),
    path("<int:pk>/chi-tieu/<int:target_id>/gan/", views.target_bind, name="target_bind"),
    path("<int:pk>/chi-tieu/<int:target_id>/bo-gan/", views.target_unbind, name="target_unbind"),
]
