"""The layer order written in docs/architecture.md is the one import-linter enforces
(pyproject.toml), and every app of `cchc` is in it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def contract_layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [{app.strip() for app in layer.split("|")} for layer in layers]


def documented_layers() -> list[set[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", text, re.MULTILINE)
    ordered = sorted(rows, key=lambda row: -int(row[0]))  # top first, as the contract lists them
    return [set(re.findall(r"`(\w+)`", apps)) for _, apps in ordered]


def test_the_documented_layers_are_the_contract():
    assert documented_layers() == contract_layers()


def test_every_app_has_a_layer_and_a_box_in_the_picture():
    apps = {p.parent.name for p in (ROOT / "cchc").glob("*/apps.py")}
    assert apps == set().union(*contract_layers())
    picture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("```")[1]
    assert all(re.search(rf"│ {app}\b", picture) for app in apps), "docs/architecture.md: draw every app"
