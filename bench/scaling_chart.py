"""Draw docs/scaling.svg from bench/results/scaling.json (bench/scale.py's figures): three panels
against the number of dossiers — full rebuild of a year, event → figure p95, province dashboard
p95 — each with its aim as a dashed line. A small hand-written SVG (no plotting dependency).

    python bench/scaling_chart.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "scaling.json"
OUT = ROOT / "docs" / "scaling.svg"
PANELS = (
    ("rebuild_s", "Tính lại cả năm (giây)", 60, "mục tiêu 60 s"),
    ("event_p95_ms", "Sự kiện → số liệu, p95 (ms)", 20, "mục tiêu 20 ms"),
    ("dashboard_p95_ms", "Trang tổng hợp tỉnh, p95 (ms)", 100, "mục tiêu 100 ms"),
)
W, H, PAD_L, PAD_B, PAD_T, GAP = 300, 220, 46, 36, 30, 24


def _nice(v: float) -> float:
    for power in range(-1, 7):
        for step in (1, 2, 5):
            top = step * 10**power
            if top >= v:
                return float(top)
    return v


def panel(runs: list[dict], key: str, title: str, aim: float, aim_label: str, x0: float) -> str:
    xs = [r["dossiers"] / 1e6 for r in runs]
    ys = [r[key] for r in runs]
    xmax = _nice(max(xs + [1]) * 1.05)
    ymax = _nice(max(ys + [aim]) * 1.15)
    pw, ph = W - PAD_L - 10, H - PAD_T - PAD_B

    def px(x: float) -> float:
        return x0 + PAD_L + x / xmax * pw

    def py(y: float) -> float:
        return PAD_T + ph - y / ymax * ph

    parts = [
        f'<text x="{x0 + W / 2:.0f}" y="18" text-anchor="middle" font-weight="bold">{title}</text>',
        f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(xmax):.1f}" y2="{py(0):.1f}" stroke="#333"/>',
        f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(0):.1f}" y2="{py(ymax):.1f}" stroke="#333"/>',
    ]
    for i in range(5):
        y = ymax * i / 4
        label = f"{y:g}".replace(".", ",")
        parts.append(f'<text x="{px(0) - 4:.1f}" y="{py(y) + 4:.1f}" text-anchor="end">{label}</text>')
    for x in (0, xmax / 2, xmax):
        parts.append(f'<text x="{px(x):.1f}" y="{py(0) + 14:.1f}" text-anchor="middle">{x:g}</text>')
    parts.append(f'<text x="{x0 + PAD_L + pw / 2:.0f}" y="{H - 4}" text-anchor="middle">triệu hồ sơ</text>')
    parts.append(
        f'<line x1="{px(0):.1f}" y1="{py(aim):.1f}" x2="{px(xmax):.1f}" y2="{py(aim):.1f}" '
        f'stroke="#c00" stroke-dasharray="5,4"/>'
        f'<text x="{px(xmax):.1f}" y="{py(aim) - 4:.1f}" text-anchor="end" fill="#c00">{aim_label}</text>'
    )
    points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for x, y in zip(xs, ys, strict=True):
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="#1f5fa8"/>')
        shown = f"{y:.1f}".replace(".", ",")
        parts.append(f'<text x="{px(x) + 5:.1f}" y="{py(y) - 6:.1f}" fill="#1f5fa8">{shown}</text>')
    return "\n".join(parts)


def main() -> None:
    runs = sorted(json.loads(RESULTS.read_text())["runs"], key=lambda r: r["dossiers"])
    width = len(PANELS) * W + (len(PANELS) - 1) * GAP
    body = "\n".join(
        panel(runs, key, title, aim, label, i * (W + GAP))
        for i, (key, title, aim, label) in enumerate(PANELS)
    )
    OUT.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{H}" viewBox="0 0 {width} {H}" '
        f'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n',
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)} from {len(runs)} scales")


if __name__ == "__main__":
    main()
