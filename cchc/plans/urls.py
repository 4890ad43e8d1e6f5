from django.urls import path

from . import views, views_import

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("tao/", views.plan_create, name="create"),
    path("nhap/", views_import.plan_import_upload, name="import"),
    path("nhap/xem-lai/", views_import.plan_import_review, name="import_review"),
    path("nhap/tac-vu/<uuid:pk>/", views_import.plan_import_job, name="import_job"),
    path("nhap/huy/", views_import.plan_import_cancel, name="import_cancel"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sua/", views.plan_edit, name="edit"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="issue"),
    path("<int:pk>/ket-thuc/", views.plan_close, name="close"),
    path("<int:pk>/xoa/", views.plan_delete, name="delete"),
    path("<int:pk>/chi-tieu/them/", views.target_edit, name="target_add"),
    path("<int:pk>/chi-tieu/<int:target_id>/sua/", views.target_edit, name="target_edit"),
    path("<int:pk>/chi-tieu/<int:target_id>/xoa/", views.target_delete, name="target_delete"),
    path("<int:pk>/nhiem-vu/them/", views.task_edit, name="task_add"),
    path("<int:pk>/nhiem-vu/<int:task_id>/sua/", views.task_edit, name="task_edit"),
    path("<int:pk>/nhiem-vu/<int:task_id>/xoa/", views.task_delete, name="task_delete"),
    path("<int:pk>/thoi-han/", views.deadline_preview, name="deadline_preview"),
    path("<int:pk>/trien-khai/", views.plan_cascade, name="cascade"),
    path("<int:pk>/muc-do-trien-khai/", views.plan_coverage, name="coverage"),
]
