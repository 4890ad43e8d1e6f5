"""Inline SVG charts for the indicator pages, in the manner of `cchc.tracking.charts`: drawn on
the server, nothing fetched, readable by screen readers (role="img", a label and <title>s).
Empty values leave a gap (a sparkline) or no bar with "—" (a bar chart), never a zero."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#2e86c1"
LINE = "#1d4e89"


def sparkline(
    points: list[tuple[str, Decimal | None, str]], *, label: str, width: int = 120, height: int = 30
) -> SafeString:
    """A small line over the periods: ``points`` are (period label, value, value as shown)."""
    values = [v for _, v, _ in points if v is not None]
    described = "; ".join(f"{name}: {shown}" for name, _, shown in points)
    title = escape(f"{label} — {described}" if points else f"{label}: chưa có số liệu")
    head = (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
    )
    if not values:
        return mark_safe(head + "</svg>")
    lo, hi = min(values), max(values)
    span = (hi - lo) or Decimal(1)
    step = (width - 6) / max(len(points) - 1, 1)
    parts: list[list[str]] = []
    run: list[str] = []
    last_xy = None
    for i, (_, v, _) in enumerate(points):
        if v is None:
            if run:
                parts.append(run)
            run = []
            continue
        x = 3 + i * step
        y = height - 3 - float((v - lo) / span) * (height - 6) if hi != lo else height / 2
        run.append(f"{x:.1f},{y:.1f}")
        last_xy = (x, y)
    if run:
        parts.append(run)
    body = "".join(
        f'<polyline fill="none" stroke="{LINE}" stroke-width="1.6" points="{" ".join(r)}"/>'
        if len(r) > 1
        else f'<circle cx="{r[0].split(",")[0]}" cy="{r[0].split(",")[1]}" r="1.6" fill="{LINE}"/>'
        for r in parts
    )
    dot = f'<circle cx="{last_xy[0]:.1f}" cy="{last_xy[1]:.1f}" r="2.4" fill="{LINE}"/>' if last_xy else ""
    return mark_safe(head + body + dot + "</svg>")


def bar_chart(
    rows: list[tuple[str, Decimal | None, str]],
    *,
    label: str,
    scale_max: Decimal | None = None,
    width: int = 720,
) -> SafeString:
    """Horizontal bars, one per row: (name, value, value as shown); ``scale_max`` 100 for rates."""
    bar_h, gap, name_w, value_w = 16, 8, 250, 80
    height = len(rows) * (bar_h + gap) + 8
    values = [v for _, v, _ in rows if v is not None]
    top = scale_max or (max(values) if values else Decimal(1)) or Decimal(1)
    plot_w = width - name_w - value_w
    parts = [
        f'<svg viewBox="0 0 {width} {height}" class="chart bars" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
    ]
    for i, (name, value, shown) in enumerate(rows):
        y = i * (bar_h + gap) + 4
        short = name if len(name) <= 38 else name[:36] + "…"
        parts.append(
            f'<text x="{name_w - 6}" y="{y + 12}" text-anchor="end" class="chart-label">{escape(short)}</text>'
        )
        if value is not None:
            w = max(float(value / top) * plot_w, 1.0) if top else 1.0
            parts.append(
                f'<rect x="{name_w}" y="{y}" width="{min(w, plot_w):.1f}" height="{bar_h}" fill="{BAR}">'
                f"<title>{escape(name)}: {escape(shown)}</title></rect>"
            )
            x_text = name_w + min(w, plot_w) + 4
        else:
            x_text = name_w + 4
        parts.append(f'<text x="{x_text:.1f}" y="{y + 12}" class="chart-label">{escape(shown)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
