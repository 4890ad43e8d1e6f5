"""Integer query-string parameters: bad input falls back to the default, never a server error."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from cchc.core.params import int_param

from .conftest import PASSWORD


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("don_vi=12", 12),
        ("don_vi=%2012%20", 12),
        ("don_vi=-3", -3),
        ("", None),
        ("don_vi=", None),
        ("don_vi=abc", None),
        ("don_vi=1.5", None),
        ("don_vi=" + "9" * 30, None),  # beyond a database integer
        ("don_vi=" + "9" * 5000, None),  # beyond Python's limit on digits
    ],
)
def test_int_param(query, expected):
    assert int_param(QueryDict(query), "don_vi") == expected


def test_int_param_default_and_bounds():
    assert int_param(QueryDict(""), "nam", 2026) == 2026
    assert int_param(QueryDict("nam=x"), "nam", 2026) == 2026
    assert int_param(QueryDict("nam=3000"), "nam", 2026, minimum=1901, maximum=2100) == 2026
    assert int_param(QueryDict("nam=2030"), "nam", 2026, minimum=1901, maximum=2100) == 2030


def test_pages_survive_bad_integers(client, tree, users):
    assert client.login(username=users.coordinator.username, password=PASSWORD)
    for url in (
        reverse("procedures:list") + "?co_quan=abc",
        reverse("procedures:list") + "?co_quan=" + "9" * 30,
        reverse("calendar") + "?nam=abc",
        reverse("calendar") + "?nam=99999",
    ):
        assert client.get(url).status_code == 200, url
