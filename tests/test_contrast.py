"""Status colours meet WCAG 2.1 AA: every status badge's text against its background, and every
status written in colour against the page, has a contrast ratio of at least 4.5:1 (normal-size
text). The colours are read from the stylesheets themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "cchc"
SHEETS = sorted(ROOT.glob("*/static/*/*.css"))
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
STATUS_CLASS = re.compile(r"^\.(s|st|r|ts|ds|fs|status)-[a-z_]+$")
PAGES = ("#ffffff", "#f6f8fa")  # the portal's and the signed-in pages' backgrounds
AA = 4.5


def _declarations(body: str) -> dict[str, str]:
    out = {}
    for part in body.split(";"):
        if ":" in part:
            name, value = part.split(":", 1)
            out[name.strip()] = value.strip()
    return out


def _rules():
    for sheet in SHEETS:
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for selectors, body in RULE.findall(text):
            yield sheet, [s.strip() for s in selectors.split(",")], _declarations(body)


def _variables() -> dict[str, str]:
    found: dict[str, str] = {}
    for _, selectors, decls in _rules():
        if ":root" in selectors:
            found |= {k: v for k, v in decls.items() if k.startswith("--")}
    return found


def _colour(value: str, variables: dict[str, str]) -> str:
    value = value.strip()
    m = re.fullmatch(r"var\((--[a-z0-9-]+)\)", value)
    if m:
        value = variables[m.group(1)]
    m = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value)
    assert m, f"not a plain colour: {value!r}"
    h = m.group(1)
    return "#" + ("".join(c * 2 for c in h) if len(h) == 3 else h).lower()


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def status_pairs() -> list[tuple[str, str, str]]:
    """(selector, text colour, background) for every status rule of every stylesheet."""
    variables = _variables()
    badge_text = next(
        _colour(d["color"], variables) for _, sels, d in _rules() if ".badge" in sels and "color" in d
    )
    pairs = []
    for sheet, selectors, decls in _rules():
        for sel in selectors:
            if not STATUS_CLASS.match(sel):
                continue
            where = f"{sheet.relative_to(ROOT)} {sel}"
            if "background" in decls:
                text = _colour(decls["color"], variables) if "color" in decls else badge_text
                pairs.append((where, text, _colour(decls["background"], variables)))
            elif "color" in decls:
                pairs += [(where, _colour(decls["color"], variables), page) for page in PAGES]
    return pairs


def test_the_known_ratio():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#ffffff", "#808b96"), 2) == 3.47  # the old grey badge: not enough


def test_every_stylesheet_has_status_colours():
    found = {where.split()[0] for where, _, _ in status_pairs()}
    assert {"core/static/cchc/app.css", "indicators/static/indicators/indicators.css"} <= found
    assert len(status_pairs()) >= 25


@pytest.mark.parametrize("where,text,background", status_pairs(), ids=lambda v: v if " " in str(v) else "")
def test_status_colour_meets_wcag_aa(where, text, background):
    ratio = contrast(text, background)
    assert ratio >= AA, f"{where}: {text} on {background} has {ratio:.2f}:1, below {AA}:1"
