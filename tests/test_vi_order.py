"""Vietnamese dictionary order in the database (the collation `vi`, cchc.core.collation) on SQLite
and PostgreSQL alike: lists, pickers and paginated tables order names the way readers expect —
Đ after D, Ă/Â after A, tones in the order no tone, huyền, hỏi, ngã, sắc, nặng."""

from __future__ import annotations

import json
import re

import vietnam_provinces

from cchc.core.actors import SYSTEM
from cchc.core.collation import vi
from cchc.core.text import nfc, vi_sort_key
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.services import unit_create
from cchc.plans.forms import assignable_units

from .conftest import PASSWORD

SHUFFLED = [
    "Đông",
    "Dương",
    "Ánh",
    "Anh",
    "Ấp",
    "Bắc",
    "Ba",
    "Bà",
    "Bạ",
    "Bả",
    "Bá",
    "Bã",
    "Yên",
    "Cà Mau",
    "Cao",
]
DICTIONARY = [
    "Anh",
    "Ánh",
    "Ấp",
    "Ba",
    "Bà",
    "Bả",
    "Bã",
    "Bá",
    "Bạ",
    "Bắc",
    "Cà Mau",
    "Cao",
    "Dương",
    "Đông",
    "Yên",
]


def _communes(province, names, prefix="X"):
    return [
        unit_create(actor=SYSTEM, name=name, kind=UnitKind.COMMUNE, parent=province, code=f"{prefix}{i:04d}")
        for i, name in enumerate(names)
    ]


def test_python_key_is_the_dictionary_order():
    assert sorted(SHUFFLED, key=vi_sort_key) == DICTIONARY


def test_the_database_orders_names_like_a_dictionary(tree):
    _communes(tree.other_province, SHUFFLED)
    names = list(
        Unit.objects.filter(parent=tree.other_province, code__startswith="X")
        .order_by(vi("name"))
        .values_list("name", flat=True)
    )
    assert names == DICTIONARY
    desc = list(
        Unit.objects.filter(parent=tree.other_province, code__startswith="X")
        .order_by(vi("name").desc())
        .values_list("name", flat=True)
    )
    assert desc == DICTIONARY[::-1]


def test_database_and_python_agree_on_every_commune_of_the_country(db):
    # 3,000 real names (vietnam-provinces): the database's collation (ICU on PostgreSQL, the
    # registered function on SQLite) and the portal's Python key give the same order.
    data = json.loads(open(vietnam_provinces.FLAT_DIVISIONS_JSON_PATH, encoding="utf-8").read())
    names: set[str] = set()

    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get("name"), str):
                names.add(nfc(o["name"]))
            for x in o.values():
                walk(x)
        elif isinstance(o, list):
            for x in o:
                walk(x)

    walk(data)
    assert len(names) > 2500
    Unit.objects.bulk_create(
        Unit(name=n, code=f"N{i:05d}", kind=UnitKind.COMMUNE, path=f"{i}/")
        for i, n in enumerate(sorted(names))
    )
    in_db = list(
        Unit.objects.filter(code__startswith="N").order_by(vi("name"), "name").values_list("name", flat=True)
    )
    assert in_db == sorted(names, key=lambda s: (vi_sort_key(s), s))


def test_the_assignment_picker_lists_communes_in_dictionary_order(tree):
    _communes(tree.province, SHUFFLED)
    communes = [u.name for u in assignable_units(tree.province) if u.kind == UnitKind.COMMUNE]
    mine = [n for n in communes if n in SHUFFLED]
    assert mine == DICTIONARY
    # the tree's own communes sit among them in the same order
    assert communes == sorted(communes, key=vi_sort_key)


def test_the_unit_page_lists_children_in_dictionary_order(client, tree, users):
    _communes(tree.province, SHUFFLED)
    client.login(username="quantri", password=PASSWORD)
    html = client.get(f"/don-vi/{tree.province.pk}/").content.decode()
    shown = [n for n in re.findall(r">([^<>]+)</a>", html) if n.strip() in SHUFFLED]
    assert shown == DICTIONARY
