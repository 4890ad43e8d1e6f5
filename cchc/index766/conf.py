"""Thresholds of the 766 index, with defaults; override any of them with the Django setting
`CCHC_INDEX766` (a dict; nested dicts are merged one level deep), e.g.

    CCHC_INDEX766 = {"authority": "ministry", "sync_realtime_minutes": 30}

Ratios are written as strings so that they become exact Decimals. docs/index-766.md lists every
key and the formula that uses it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    # Whose rules apply to the publication deadlines: "province" (5 and 5 working days) or
    # "ministry" (20 and 10).
    "authority": "province",
    # The publishing decision is due this many working days before the legal basis takes effect.
    "publish_lead_working_days": {"province": 5, "ministry": 20},
    # The procedure must be public in the national database this many working days after it.
    "make_public_working_days": {"province": 5, "ministry": 10},
    # A dossier counts as synced "in real time" when it reached the national portal within this
    # many minutes of its receipt.
    "sync_realtime_minutes": 60,
    # The online-service group: the portal does not publish its split; the 2022 rules give
    # procedures offered online and dossiers submitted online equal weight.
    "online_split": {"procedures": 6, "dossiers": 6},
    "online_procedures_full_at": "0.8",
    "online_dossiers_full_at": "0.5",
    "digitised_full_at": "0.8",
    "reuse_full_at": "0.8",
    "dossier_satisfaction_full_at": "0.9",
    # Online payment: min(max, a·A + min(b_cap, b·B) + c·C).
    "payment": {"a": "6", "b": "2.5", "b_cap": "2", "c": "2.5"},
    # Indicators that do not apply to a commune and get full marks there (the spec's
    # assumption): publication is the province's duty (the provincial chairman announces the
    # procedures, the provincial office makes them public), not the commune's.
    "commune_full_marks": ["published_on_time", "made_public_on_time", "public_in_full"],
    # Words of a procedure's result (kết quả thực hiện) that mean no paper document is issued:
    # the result is an entry in a database or a notice. Matched without accents or case.
    "non_document_result_words": [
        "cap nhat",
        "co so du lieu",
        "thong bao dien tu",
        "khong co ket qua",
    ],
    # How many procedures the "average processing time" table keeps per unit and period.
    "top_procedures": 10,
}

_DECIMAL_KEYS = {
    "online_procedures_full_at",
    "online_dossiers_full_at",
    "digitised_full_at",
    "reuse_full_at",
    "dossier_satisfaction_full_at",
}


def config() -> dict[str, Any]:
    """The effective thresholds: DEFAULTS overridden by settings.CCHC_INDEX766."""
    override = getattr(settings, "CCHC_INDEX766", None) or {}
    unknown = set(override) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"CCHC_INDEX766: khóa không hợp lệ: {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        value = override.get(key, default)
        if isinstance(default, dict) and isinstance(value, dict):
            value = {**default, **value}
        out[key] = value
    for key in _DECIMAL_KEYS:
        out[key] = Decimal(str(out[key]))
        if not Decimal(0) < out[key] <= Decimal(1):
            raise ImproperlyConfigured(f"CCHC_INDEX766[{key!r}] phải trong khoảng (0; 1].")
    out["payment"] = {k: Decimal(str(v)) for k, v in out["payment"].items()}
    out["online_split"] = {k: Decimal(str(v)) for k, v in out["online_split"].items()}
    if out["authority"] not in ("province", "ministry"):
        raise ImproperlyConfigured("CCHC_INDEX766['authority'] phải là 'province' hoặc 'ministry'.")
    return out
