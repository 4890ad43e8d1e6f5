"""Server-rendered SVG charts: no JavaScript library, nothing fetched from the internet, and
readable by screen readers through their <title> elements."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

STATUS_COLOURS = {
    "overdue": "#c0392b",
    "in_progress": "#2471a3",
    "not_started": "#aab7b8",
    "done_late": "#d68910",
    "done": "#1e7e34",
}


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]], width: int = 640
) -> SafeString:
    """Horizontal stacked bars, one per row, each segment a series, scaled to 100 %."""
    bar_h, gap, label_w = 22, 30, 0
    height = len(rows) * (bar_h + gap) + 40
    parts = [
        f'<svg viewBox="0 0 {width} {height}" class="chart" role="img" aria-label="Tiến độ theo lĩnh vực" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, counts) in enumerate(rows):
        y = i * (bar_h + gap) + 16
        total = sum(counts.values()) or 1
        parts.append(
            f'<text x="0" y="{y - 4}" class="chart-label">{escape(label)} ({sum(counts.values())})</text>'
        )
        x = float(label_w)
        for key, name in series:
            n = counts.get(key, 0)
            if not n:
                continue
            w = (width - label_w) * n / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{STATUS_COLOURS.get(key, "#888")}">'
                f"<title>{escape(name)}: {n} ({100 * n / total:.0f}%)</title></rect>"
            )
            if w > 28:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 15}" class="chart-value" text-anchor="middle">{n}</text>'
                )
            x += w
    ly = height - 12
    lx = 0
    for key, name in series:
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{STATUS_COLOURS.get(key, "#888")}"/>'
        )
        parts.append(f'<text x="{lx + 16}" y="{ly}" class="chart-legend">{escape(name)}</text>')
        lx += 16 + 8 * len(name) + 14
    parts.append("</svg>")
    return mark_safe("".join(parts))
