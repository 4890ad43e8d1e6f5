from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="procedure"),
    path("ket-qua-giai-quyet/", views.scoreboard_page, name="scoreboard"),
    path("ket-qua-giai-quyet/<str:code>/", views.scoreboard_unit, name="scoreboard_unit"),
    path("tien-do-cai-cach/", views.progress_page, name="progress"),
]
