from django.urls import path

from . import views, views_targets

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.dossiers, name="dossiers"),
    path("ke-hoach/<int:pk>/", views_targets.plan_targets, name="plan_targets"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:target_id>/gan/", views_targets.target_bind, name="target_bind"),
    path(
        "ke-hoach/<int:pk>/chi-tieu/<int:target_id>/bo-gan/",
        views_targets.target_unbind,
        name="target_unbind",
    ),
]
