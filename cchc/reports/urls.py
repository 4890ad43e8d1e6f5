from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("mo/", views.report_open, name="open"),
    path("tiep-nhan/", views.review_queue, name="queue"),
    path("tinh-hinh-nop/", views.register, name="register"),
    path("lich/", views.schedule, name="schedule"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/xem-xet/", views.report_review, name="review"),
    path("<int:pk>/tai-ve.<str:fmt>", views.report_download, name="download"),
    path("<int:pk>/xuat.<str:fmt>", views.report_export, name="export"),
]
