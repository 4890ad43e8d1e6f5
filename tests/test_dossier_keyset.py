"""The dossier lists by keyset (cchc/dossiers/paging.py): walking forward and back gives every
dossier once, in the queue's order, ties on the submission moment and a dossier without one
included; a link that does not parse or points past the end shows the first page, never an
error; the page says how many dossiers there are, up to the cap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.dossiers import paging
from cchc.dossiers.models import Dossier
from cchc.dossiers.paging import Key, keyset_page

from .conftest import PASSWORD
from .test_dossiers_support import local, make_world


@pytest.fixture
def w(tree, users):
    cache.clear()
    return make_world(tree, users)


@pytest.fixture
def eight(w):
    """Eight dossiers; three share one submission moment, one has none (never in practice)."""
    ds = [w.receive(at=local(2026, 3, 2, 8 + i)) for i in range(8)]
    same = local(2026, 3, 2, 11)
    Dossier.objects.filter(pk__in=[ds[1].pk, ds[4].pk, ds[6].pk]).update(submitted_at=same)
    Dossier.objects.filter(pk=ds[2].pk).update(submitted_at=None)
    return ds


def walk_forward(qs, size):
    pages, token = [], None
    while True:
        page = keyset_page(qs, after=token, size=size)
        pages.append(page)
        if page.next is None:
            return pages
        token = page.next


def test_forward_and_back_give_every_dossier_once_in_the_queues_order(eight):
    qs = Dossier.objects.all()
    expected = list(qs.order_by("-submitted_at", "-id"))  # the database's own order, nulls included
    pages = walk_forward(qs, 3)
    assert [len(p.rows) for p in pages] == [3, 3, 2]
    assert [d for p in pages for d in p.rows] == expected
    assert pages[0].previous is None and all(p.previous for p in pages[1:])
    # back from the last page: the same pages, in reverse
    back, token = [pages[-1].rows], pages[-1].previous
    while token:
        page = keyset_page(qs, before=token, size=3)
        back.append(page.rows)
        token = page.previous
    assert back[::-1] == [p.rows for p in pages]


def test_back_to_the_start_shows_the_whole_first_page(eight):
    qs = Dossier.objects.all()
    expected = list(qs.order_by("-submitted_at", "-id"))
    second = keyset_page(qs, after=Key.of(expected[0]).token, size=3)  # a page that starts at row 2
    assert second.rows == expected[1:4]
    first = keyset_page(qs, before=second.previous, size=3)
    assert first.rows == expected[:3] and first.previous is None and first.next


@pytest.mark.parametrize(
    "token", ["", "abc", "1_", "_1", "9" * 18 + "_1", "-" + "9" * 18 + "_1", "n_x", "1_2_3"]
)
def test_a_token_that_does_not_parse_shows_the_first_page(eight, token):
    qs = Dossier.objects.all()
    first = keyset_page(qs, size=3)
    assert keyset_page(qs, after=token, size=3).rows == first.rows
    assert keyset_page(qs, before=token, size=3).rows == first.rows


def test_a_link_past_the_end_shows_the_first_page(eight):
    Dossier.objects.filter(submitted_at=None).update(submitted_at=local(2026, 3, 1))  # else it is last
    qs = Dossier.objects.all()
    past = Key(local(2000, 1, 1).astimezone(dt.UTC), 1).token
    assert keyset_page(qs, after=past, size=3).rows == keyset_page(qs, size=3).rows


def test_the_key_round_trips_to_the_microsecond():
    at = dt.datetime(2026, 3, 2, 1, 2, 3, 456789, tzinfo=dt.UTC)
    assert Key.parse(Key(at, 42).token) == Key(at, 42)
    assert Key.parse("n_7") == Key(None, 7)


def test_the_count_is_bounded(eight, monkeypatch):
    monkeypatch.setattr(paging, "CAP", 5)
    page = keyset_page(Dossier.objects.all(), size=3)
    assert (page.count, page.capped, page.count_label) == (5, True, "5")


def test_the_queue_pages_by_links_and_keeps_the_filters(client, w, eight, monkeypatch):
    from cchc.dossiers import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.login(username=w.desk_officer.username, password=PASSWORD)
    url = reverse("dossiers:list")
    first = client.get(url + "?kenh=truc_tiep")
    html = first.content.decode()
    assert "8 hồ sơ phù hợp." in html and 'id="pager-next"' in html and 'id="pager-previous"' not in html
    nxt = first.context["page"].next
    assert f"kenh=truc_tiep&amp;sau={nxt}" in html
    second = client.get(url, {"kenh": "truc_tiep", "sau": nxt})
    assert 'id="pager-previous"' in second.content.decode() and 'id="pager-first"' in second.content.decode()
    shown = {d.pk for d, _ in first.context["rows"]} | {d.pk for d, _ in second.context["rows"]}
    assert len(shown) == 6
    back = client.get(url, {"kenh": "truc_tiep", "truoc": second.context["page"].previous})
    assert [d for d, _ in back.context["rows"]] == [d for d, _ in first.context["rows"]]
    for bad in ("sau=%00", "truoc=1_99999999999999999", "trang=abc", "sau=n_1&truoc=n_2"):
        assert client.get(f"{url}?{bad}").status_code == 200
