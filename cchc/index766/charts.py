"""The six groups of the 766 index as a server-rendered SVG bar chart: no JavaScript, nothing
fetched, readable by screen readers through <title> (like cchc/tracking/charts.py)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .templatetags.index766 import vn_number


def _vn(value: Decimal) -> str:
    return vn_number(value, 2)


def group_bars(groups: list[dict], width: int = 640) -> SafeString:
    """One bar per group: the points reached over the group's maximum (grey); the points of
    indicators that are not computable in light pink at the right end."""
    label_w, bar_h, gap, top = 190, 18, 12, 6
    bar_w = width - label_w - 110
    height = top + len(groups) * (bar_h + gap) + 4
    parts = [
        f'<svg viewBox="0 0 {width} {height}" class="chart" role="img" '
        'aria-label="Điểm Chỉ số 766 theo nhóm" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, g in enumerate(groups):
        y = top + i * (bar_h + gap)
        maximum = Decimal(g["max"]) or Decimal(1)
        reached = max(Decimal(0), Decimal(g["points"]))
        share = reached / maximum
        colour = "#229954" if share >= Decimal("0.8") else "#d68910" if share >= Decimal("0.5") else "#c0392b"
        name = escape(g["name"])
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{name}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" fill="#e5e8e8"/>')
        unreachable = Decimal(g["max"]) - Decimal(g.get("reachable", g["max"]))
        if unreachable > 0:
            uw = bar_w * float(unreachable / maximum)
            parts.append(
                f'<rect x="{label_w + bar_w - uw:.1f}" y="{y}" width="{uw:.1f}" height="{bar_h}" fill="#fbeee6">'
                f"<title>Không tính được: {_vn(unreachable)} điểm</title></rect>"
            )
        w = bar_w * float(share)
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{name}: {_vn(reached)}/{_vn(Decimal(g['max']))} điểm</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 13}" class="chart-label">'
            f"{_vn(reached)} / {vn_number(g['max'])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
