from django.urls import path, re_path

from . import views, views_documents, views_feedback, views_receipt

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tiep-nhan/", views.dossier_receive, name="receive"),
    path("tiep-nhan/thanh-phan/", views_receipt.receipt_components, name="receipt_components"),
    path("tim-theo-nguoi-nop/", views_receipt.personal_search, name="personal_search"),
    path("so-theo-doi.docx", views_documents.register, name="register"),
    path("phan-anh/", views_feedback.feedback_list, name="feedback_list"),
    path("phan-anh/<int:pk>/", views_feedback.feedback_detail, name="feedback"),
    path("phan-anh/<int:pk>/<slug:action>/", views_feedback.feedback_action, name="feedback_action"),
    path("<str:code>/", views.dossier_detail, name="detail"),
    path("<str:code>/thao-tac/<slug:action>/", views.dossier_action, name="action"),
    path("<str:code>/giay-hen/", views_receipt.receipt_slip, name="slip"),
    re_path(r"^(?P<code>[^/]+)/bien-lai\.(?P<ext>docx|pdf)$", views_receipt.fee_receipt, name="fee_receipt"),
    re_path(
        r"^(?P<code>[^/]+)/bieu-mau/(?P<number>\d{2})\.(?P<ext>docx|pdf)$",
        views_documents.dossier_form,
        name="form",
    ),
]
