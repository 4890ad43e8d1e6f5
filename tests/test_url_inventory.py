"""Every URL pattern the project has, read from the URL resolver — so a new URL is checked the
moment it exists:

- anonymous: every pattern that is not declared public sends to the login page; public ones
  answer without a server error;
- signed in as a coordinator of another province, with ids that do not exist: never a server
  error (404, 403 or 400 — bad parameters included);
- every non-public pattern has rows in a role × URL × own/other-unit matrix (MATRIX of the
  modules in MATRIX_MODULES), so that who may see and change it is written down and tested.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import PASSWORD

# Reachable without signing in, each for a reason.
PUBLIC = {
    "login": "the sign-in page",
    "lookup": "citizens look a dossier up",
    "lookup_result": "citizens look a dossier up (second factor: phone digits)",
    "lookup_rate": "the applicant rates the service (after the lookup)",
    "lookup_pay": "the applicant pays the fee (after the lookup)",
    "simulated_gateway": "the demo payment gateway (refused in production)",
    "feedback_public": "citizens send feedback (rate-limited)",
    "feedback_sent": "the receipt of a feedback",
    "feedback_lookup": "citizens follow their feedback",
    "feedback_status": "citizens follow their feedback (second factor)",
    "survey_token": "a citizen answers a survey by the link of their token (rate-limited)",
    "survey_open": "anyone answers an open survey campaign by its link (rate-limited)",
    "survey_thanks": "the thank-you page after an answer",
    "evaluation_public:public_index": "published CCHC index results",
    "evaluation_public:public_results": "published CCHC index results",
}
PUBLIC_NAMESPACES = {
    "portal": "the public portal for citizens: catalogue, scoreboards, reform progress (no personal data)",
}


# Not signed-in pages but a token API: every endpoint answers 401 without a client's token; its
# scopes and unit isolation are tested endpoint by endpoint in tests/test_api.py.
TOKEN_NAMESPACES = {"api_v1"}
API_PUBLIC = {"api_v1:openapi-json", "api_v1:openapi-view", "api_v1:api-root"}  # the schema, its viewer


def is_public(name: str) -> bool:
    return name in PUBLIC or name.split(":")[0] in PUBLIC_NAMESPACES


def is_token_api(name: str) -> bool:
    return name.split(":")[0] in TOKEN_NAMESPACES


# Modules whose MATRIX rows (name, method, url builder, allowed roles, status) are the access
# matrix; a pattern is covered when its name appears in one of them.
MATRIX_MODULES = [
    "tests.test_access_matrix",
    "tests.test_dossier_access",
    "tests.test_index766_pages",
    "tests.test_procedures_access",
    "tests.test_access_matrix_more",
    "tests.test_api_clients_pages",
    "tests.test_jobs_access",
]

# Patterns that have no matrix rows yet: where their pages are tested. This list may only shrink.
ACCESS_TESTED_ELSEWHERE: dict[str, str] = {}

pytestmark = pytest.mark.django_db

PLACEHOLDER = {"int": "987654", "str": "KHONG-CO-MA", "slug": "khong-co", "path": "khong/co"}


def _patterns(resolver=None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, prefix + str(p.pattern)


ALL = sorted(
    (name, route)
    for name, route in _patterns()
    if not name.startswith("admin:") and not route.startswith(("static/", "media/"))
)


def _url(route: str) -> str:
    """A concrete path for a route, with placeholders for its parameters."""
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: PLACEHOLDER.get(m.group(1) or "str", "x"), route)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.parametrize(("name", "route"), ALL, ids=[n for n, _ in ALL])
def test_anonymous(client, name, route):
    response = client.get(_url(route))
    if is_token_api(name):
        allowed = (200, 404) if name in API_PUBLIC else (401, 405)
        assert response.status_code in allowed, f"{name} without a token: {response.status_code}"
    elif is_public(name):
        assert response.status_code < 500, f"{name}: {response.status_code}"
    else:
        assert response.status_code in (302, 401), f"{name} is open to anyone: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), name


def test_no_server_error_for_an_outsider(client, users):
    """One test over every pattern (the province tree is built once, not once per URL)."""
    client.login(username=users.foreign_coordinator.username, password=PASSWORD)
    errors = []
    for name, route in ALL:
        for method in ("get", "post"):
            response = getattr(client, method)(_url(route))
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {name}: {response.status_code}")
    assert not errors, errors


# Every query parameter of docs/glossary.md, malformed — and one far too long.
BAD_QUERY = (
    "?trang=abc&nam=abc&ky=2026-Q9&don_vi=abc&ma=%00&phan=zz&sap_xep=zz&trang_thai=zz"
    "&tu=31/02/2026&den=abc&xuat=zz&loai=zz&kenh=zz&han=zz&linh_vuc=x&cap=9&co_quan="
    + "9"
    * 400
    + "&muc_do=x"
    "&tiep_nhan_luc=abc&thoi_han=-1&don_vi_tinh=zz&quay_lai=zz&thu_tu=zz&q=" + "%" * 50
)


def test_bad_parameters_never_break_a_page(client, users):
    """Signed in as the province's coordinator (who sees the most), every page without path
    parameters, and the plan pages, with every known parameter malformed: a page or a 4xx."""
    client.login(username=users.coordinator.username, password=PASSWORD)
    errors = []
    for name, route in ALL:
        if "<" in route:
            continue
        response = client.get(_url(route) + BAD_QUERY)
        if response.status_code >= 500:
            errors.append(f"{name}: {response.status_code}")
    assert not errors, errors


def test_every_private_url_is_in_an_access_matrix():
    written = "".join(inspect.getsource(importlib.import_module(m)) for m in MATRIX_MODULES)
    missing = [
        name
        for name, _route in ALL
        if not is_public(name)
        and not is_token_api(name)
        and name not in ACCESS_TESTED_ELSEWHERE
        and f'"{name}"' not in written
    ]
    assert not missing, "URLs with no access-matrix row: " + ", ".join(missing)
