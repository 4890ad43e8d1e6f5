from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("tao/", views.procedure_create, name="create"),
    path("nhap/", views.catalogue_import, name="import"),
    path("nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/sua/", views.procedure_edit, name="edit"),
    path("<int:pk>/xoa/", views.procedure_delete, name="delete"),
    path("<int:pk>/thanh-phan/them/", views.component_edit, name="component_add"),
    path("<int:pk>/thanh-phan/<int:component_id>/sua/", views.component_edit, name="component_edit"),
    path("<int:pk>/thanh-phan/<int:component_id>/xoa/", views.component_delete, name="component_delete"),
    path("<int:pk>/buoc/them/", views.step_edit, name="step_add"),
    path("<int:pk>/buoc/<int:step_id>/sua/", views.step_edit, name="step_edit"),
    path("<int:pk>/buoc/<int:step_id>/xoa/", views.step_delete, name="step_delete"),
    path("<int:pk>/buoc/<int:step_id>/di-chuyen/", views.step_move, name="step_move"),
]
