from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/tao/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/<slug:action>/", views.plan_action, name="plan_action"),
    path("cuoc/<int:pk>/", views.inspection_detail, name="inspection"),
    path("cuoc/<int:pk>/thong-bao-ket-luan/", views.conclusion, name="conclusion"),
    path("cuoc/<int:pk>/<slug:action>/", views.inspection_action, name="inspection_action"),
    path("ton-tai/", views.findings, name="findings"),
    path("ton-tai/<int:pk>/", views.finding_detail, name="finding"),
    path("ton-tai/<int:pk>/<slug:action>/", views.finding_action, name="finding_action"),
    path("tai-lieu/<int:pk>/", views.evidence_download, name="evidence"),
]
