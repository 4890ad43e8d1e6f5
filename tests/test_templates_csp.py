"""Every page runs under a Content-Security-Policy without 'unsafe-inline' scripts: no template
may hold an inline <script> or an inline event handler (they would silently stop working), and
every response carries the policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent / "cchc"
TEMPLATES = sorted(ROOT.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script(path):
    text = path.read_text(encoding="utf-8")
    for pattern, what in (
        (INLINE_SCRIPT, "an inline <script> (move it to a static file)"),
        (INLINE_HANDLER, "an inline event handler (use data-confirm / data-autosubmit or app.js)"),
        (JS_URL, "a javascript: URL"),
    ):
        found = pattern.search(text)
        assert not found, f"{path.relative_to(ROOT)} has {what}: {found.group(0)!r}"


def test_responses_carry_the_policy(client):
    policy = settings.CCHC_CONTENT_SECURITY_POLICY
    assert (
        "script-src 'self';" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy"] == policy
