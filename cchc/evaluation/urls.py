from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("bo-chi-so/nhap/", views.framework_import, name="framework_import"),
    path("bo-chi-so/<int:pk>/", views.framework_detail, name="framework"),
    path("bo-chi-so/<int:pk>/tai-ve/", views.framework_export, name="framework_export"),
    path("bo-chi-so/<int:pk>/mo-dot/", views.round_new, name="round_new"),
    path("bo-chi-so/<int:pk>/<slug:action>/", views.framework_action, name="framework_action"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/ket-qua/", views.results, name="results"),
    path("dot/<int:pk>/diem.csv", views.round_scores_csv, name="round_scores_csv"),
    path("dot/<int:pk>/don-vi/<int:participant_id>/", views.participant_detail, name="participant"),
    path(
        "dot/<int:pk>/don-vi/<int:participant_id>/tai-lieu/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "dot/<int:pk>/don-vi/<int:participant_id>/<slug:action>/",
        views.participant_action,
        name="participant_action",
    ),
    path("dot/<int:pk>/<slug:action>/", views.round_action, name="round_action"),
    path("diem-co-nguy-co/", views.points_at_risk, name="at_risk"),
]

public_urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("<int:pk>/", views.public_results, name="public_results"),
]
