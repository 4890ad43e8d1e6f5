from django.urls import path

from . import views

app_name = "tracking"
urlpatterns = [
    path("cua-toi/", views.my_tasks, name="my_tasks"),
    path("giao/<int:pk>/", views.assignment_detail, name="assignment"),
    path("tai-lieu/<int:pk>/", views.evidence_download, name="evidence"),
    path("ke-hoach/<int:pk>/", views.plan_dashboard, name="dashboard"),
    path("ke-hoach/<int:pk>/xuat-excel/", views.dashboard_export, name="dashboard_export"),
    path("ke-hoach/<int:pk>/nhac-nho/", views.plan_remind, name="remind"),
    path("ke-hoach/<int:pk>/xem-xet/", views.review_queue, name="review_queue"),
    path("ke-hoach/<int:pk>/che-do-xem-xet/", views.review_policy, name="review_policy"),
    path("cap-nhat/<int:pk>/xem-xet/", views.progress_review, name="review"),
]
