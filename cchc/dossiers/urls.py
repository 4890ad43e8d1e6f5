from django.urls import path, re_path

from . import views, views_documents, views_feedback

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tiep-nhan/", views.dossier_receive, name="receive"),
    path("so-theo-doi.docx", views_documents.register, name="register"),
    path("phan-anh/", views_feedback.feedback_list, name="feedback_list"),
    path("phan-anh/<int:pk>/", views_feedback.feedback_detail, name="feedback"),
    path("phan-anh/<int:pk>/<slug:action>/", views_feedback.feedback_action, name="feedback_action"),
    path("<str:code>/", views.dossier_detail, name="detail"),
    path("<str:code>/thao-tac/<slug:action>/", views.dossier_action, name="action"),
    re_path(
        r"^(?P<code>[^/]+)/bieu-mau/(?P<number>\d{2})\.(?P<ext>docx|pdf)$",
        views_documents.dossier_form,
        name="form",
    ),
]
