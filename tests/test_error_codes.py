"""Every refusal has a stable code (`ServiceError(message, code=...)`), listed in docs/errors.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cchc.core.errors import ServiceError

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _error_classes() -> set[str]:
    """ServiceError and the subclasses defined in cchc/ (e.g. the catalogue's ImportFileError)."""
    names = {"ServiceError"}
    for path in (ROOT / "cchc").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "ServiceError" for b in node.bases
            ):
                names.add(node.name)
    return names


def _raise_sites() -> list[tuple[str, int, str | None]]:
    """(file, line, code) of every ServiceError constructed in cchc/; code None when not a literal."""
    classes = _error_classes()
    sites = []
    for path in sorted((ROOT / "cchc").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                value = code.value if isinstance(code, ast.Constant) and isinstance(code.value, str) else None
                sites.append((str(path.relative_to(ROOT)), node.lineno, value))
    return sites


def test_every_service_error_has_a_literal_snake_case_code():
    sites = _raise_sites()
    assert len(sites) > 100
    bad = [f"{f}:{line}" for f, line, code in sites if code is None or not CODE.match(code)]
    assert not bad, f"ServiceError without a literal snake_case code: {bad}"


def test_every_code_is_documented_in_docs_errors_md():
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", (ROOT / "docs/errors.md").read_text(), re.M))
    used = {code for _, _, code in _raise_sites() if code}
    assert not used - documented, f"codes missing from docs/errors.md: {sorted(used - documented)}"
    assert not documented - used, f"codes in docs/errors.md used nowhere: {sorted(documented - used)}"


def test_the_code_survives_a_dict_message_and_the_message_is_unchanged():
    exc = ServiceError({"title": "Trích yếu kế hoạch không được để trống."}, code="plan_title_required")
    assert exc.code == "plan_title_required"
    assert exc.message_dict == {"title": ["Trích yếu kế hoạch không được để trống."]}
    single = ServiceError("Kế hoạch đã kết thúc, không thể sửa.", code="plan_closed")
    assert (single.code, single.messages) == ("plan_closed", ["Kế hoạch đã kết thúc, không thể sửa."])
