from django.urls import path

from . import views, views_public

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("tao-dot/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/ket-qua.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/don-vi/<int:unit_id>/", views.unit_detail, name="unit"),
    path("<int:pk>/nhap-phieu/", views.paper_entry, name="paper"),
    path("<int:pk>/<slug:action>/", views.campaign_action, name="campaign_action"),
]

public_urlpatterns = [
    path("cam-on/", views_public.thanks, name="survey_thanks"),
    path("dot/<str:key>/", views_public.answer_open, name="survey_open"),
    path("<str:token>/", views_public.answer_by_token, name="survey_token"),
]
