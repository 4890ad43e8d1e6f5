from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc.api.router import api as api_v1
from cchc.dossiers import views_public as dossier_public
from cchc.evaluation.urls import public_urlpatterns as evaluation_public
from cchc.orgs import views_calendar as calendar_views
from cchc.orgs import views_site
from cchc.portal import landing
from cchc.surveys.urls import public_urlpatterns as survey_public

urlpatterns = [
    path("", landing.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(
            template_name="core/password_change.html", success_url="/doi-mat-khau/xong/"
        ),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(template_name="core/password_change_done.html"),
        name="password_change_done",
    ),
    path("nhat-ky/", views_site.audit_log, name="audit_log"),
    path("lich-lam-viec/", calendar_views.calendar_page, name="calendar"),
    path("lich-lam-viec/tinh-han/", calendar_views.due_date_preview, name="due_date_preview"),
    path("don-vi/", include("cchc.orgs.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("theo-doi/", include("cchc.tracking.urls")),
    path("thu-tuc/", include("cchc.procedures.urls")),
    path("ho-so/", include("cchc.dossiers.urls")),
    path("chi-so/ke-hoach/", include("cchc.targets.urls")),  # before chi-so/: same addresses as before
    path("chi-so/", include("cchc.indicators.urls")),
    path("chi-so-766/", include("cchc.index766.urls")),
    path("so-lieu-bao-cao/", include("cchc.manual_indicators.urls")),
    path("chi-so-cchc/", include("cchc.evaluation.urls")),
    path("kiem-tra/", include("cchc.inspections.urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("tac-vu/", include("cchc.jobs.urls")),  # background jobs: progress, outcome, file
    # public pages (no account; listed in cchc.core.middleware.PUBLIC_PREFIXES)
    path("tra-cuu/", dossier_public.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", dossier_public.lookup_result, name="lookup_result"),
    path("tra-cuu/<str:code>/danh-gia/", dossier_public.rate, name="lookup_rate"),
    path("tra-cuu/<str:code>/thanh-toan/", dossier_public.pay, name="lookup_pay"),
    path("thanh-toan-mo-phong/<str:reference>/", dossier_public.simulated_gateway, name="simulated_gateway"),
    path("gop-y/", dossier_public.feedback, name="feedback_public"),
    path("gop-y/da-gui/", dossier_public.feedback_sent, name="feedback_sent"),
    path("gop-y/tra-cuu/", dossier_public.feedback_lookup, name="feedback_lookup"),
    path("gop-y/tra-cuu/<str:code>/", dossier_public.feedback_status, name="feedback_status"),
    path("cong-khai/chi-so-cchc/", include((evaluation_public, "evaluation_public"))),
    path("cong-khai/", include("cchc.portal.urls")),  # the public portal (docs/portal.md)
    path("khao-sat/", include("cchc.surveys.urls")),
    path("y-kien/", include(survey_public)),
    # the REST API v1 for the province's other systems (token per client; docs/api.md)
    path("api/v1/", api_v1.urls),
    path("ung-dung-ket-noi/", include("cchc.api.urls")),  # administrators: the API's clients
]

handler400 = "cchc.core.views.bad_request"
handler403 = "cchc.core.views.forbidden"
handler404 = "cchc.core.views.not_found"
handler500 = "cchc.core.views.server_error"
