from django.http import HttpRequest

from .access import Access
from .models import Role

# Apps whose pages sit under the one "Chỉ số" menu entry, with tabs between them.
INDICATOR_APPS = ("indicators", "index766", "manual_indicators")


def navigation(request: HttpRequest):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    access = Access.for_user(user)
    return {
        "nav_roles": sorted({dict(Role.choices)[r] for r in access.roles()}),
        "nav_can_audit": access.has_role(Role.ADMIN, Role.COORDINATOR),
        "nav_can_admin_api": access.has_role(Role.ADMIN),
        "nav_can_report": access.has_role(Role.ADMIN, Role.COORDINATOR, Role.OFFICER),
        "indicator_apps": INDICATOR_APPS,
    }
