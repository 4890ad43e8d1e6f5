"""The data migrations of the one period vocabulary: stored reporting-window keys get their
`BC-` spelling (manual reports: "2026-Q1" → "BC-2026-Q1"; live totals: "BC-2026" → "BC-2026-Y"),
and back. Run on sample rows through the migrations' own functions."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from cchc.indicators.models import MeasureTotal
from cchc.manual_indicators.models import Kind, ManualIndicator, ManualReport, Periodicity

manual_migration = importlib.import_module("cchc.manual_indicators.migrations.0002_reporting_window_keys")
live_migration = importlib.import_module("cchc.indicators.migrations.0002_reporting_year_key")

pytestmark = pytest.mark.django_db


def _report(definition, unit, period, user) -> ManualReport:
    return ManualReport.objects.create(
        indicator=definition,
        unit=unit,
        period=period,
        numerator=1,
        denominator=2,
        value=50,
        reported_by=user,
        reported_at=timezone.now(),
    )


def test_manual_report_keys_forward_and_back(tree, users):
    definition = ManualIndicator.objects.create(
        unit=tree.province, code="ky-so", name="Ký số", kind=Kind.RATIO, periodicity=Periodicity.QUARTER
    )
    old = ["2026-Q1", "2026-H1", "2026-9M", "2026-Y"]
    for key, unit in zip(old, [tree.agency("STP"), *tree.communes[:2], tree.agency("STP")], strict=False):
        _report(definition, unit, key, users.officer)
    _report(definition, tree.agency("SNV"), "BC-2025-Y", users.officer)  # already new: left alone

    manual_migration.forward(apps, None)
    stored = sorted(ManualReport.objects.values_list("period", flat=True))
    assert stored == ["BC-2025-Y", "BC-2026-9M", "BC-2026-H1", "BC-2026-Q1", "BC-2026-Y"]

    manual_migration.backward(apps, None)
    assert sorted(ManualReport.objects.values_list("period", flat=True)) == sorted([*old, "2025-Y"])


def test_live_total_year_window_forward_and_back(tree):
    keys = ["2026", "2026-Q1", "2026-03", "BC-2026-Q1", "BC-2026-H1", "BC-2026-9M", "BC-2026"]
    MeasureTotal.objects.bulk_create(MeasureTotal(unit=tree.province, period=k) for k in keys)

    live_migration.forward(apps, None)
    stored = set(MeasureTotal.objects.values_list("period", flat=True))
    assert stored == {*keys[:-1], "BC-2026-Y"}

    live_migration.backward(apps, None)
    assert set(MeasureTotal.objects.values_list("period", flat=True)) == set(keys)
