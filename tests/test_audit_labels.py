"""No English where people read: every audit action the code writes has a Vietnamese label
(the audit log shows it), and no choice label of a model speaks English."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

from cchc.core.audit_labels import LABELS, action_label, is_labelled
from cchc.dossiers.choices import EventKind
from cchc.dossiers.models.feedback import FeedbackEventKind
from cchc.reports.models import ReportReview

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent / "cchc"
LITERAL = re.compile(r"""\baction\s*=\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
CONSTANT = re.compile(r"""^ACTION\s*=\s*["']([a-z0-9_.]+)["']""", re.M)
FAMILY = re.compile(r"""\baction\s*=\s*f["']([a-z0-9_]+)\.\{""")
# Words of English that have slipped into interfaces before; Vietnamese has none of them.
ENGLISH = re.compile(
    r"\b(the|and|of|to|create[ds]?|update[ds]?|delete[ds]?|import(ed)?|export|save[ds]?|"
    r"submit(ted)?|pending|done|error|failed|success|draft|open|closed?|yes|no|none|other|"
    r"unknown|user|unit|report|plan|task|target|file|status|state|step|new|edit|remove)\b",
    re.I,
)


def written_actions() -> tuple[set[str], set[str]]:
    literals: set[str] = set()
    families: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        literals |= set(LITERAL.findall(text)) | set(CONSTANT.findall(text))
        families |= set(FAMILY.findall(text))
    return literals, families


def test_every_action_written_has_a_vietnamese_label():
    literals, families = written_actions()
    assert len(literals) > 80 and families == {"dossier", "feedback", "report"}
    missing = sorted(a for a in literals if not is_labelled(a))
    assert not missing, f"audit actions without a label in cchc/core/audit_labels.py: {missing}"
    for prefix, choices in (
        ("dossier", EventKind.choices),
        ("feedback", FeedbackEventKind.choices),
        ("report", ReportReview.Decision.choices),
    ):
        for value, _ in choices:
            assert is_labelled(f"{prefix}.{value}"), f"{prefix}.{value}"
    assert action_label("dossier.returned") == "Hồ sơ: Trả kết quả"


def test_no_label_speaks_english():
    labels = list(LABELS.values()) + [action_label(f"dossier.{v}") for v in EventKind.values]
    for model in apps.get_models():
        if not model.__module__.startswith("cchc."):
            continue
        for field in model._meta.get_fields():
            for _, label in getattr(field, "flatchoices", None) or []:
                labels.append(str(label))
            verbose = getattr(field, "verbose_name", None)
            if verbose and not field.auto_created and getattr(field, "concrete", False):
                name = getattr(field, "name", "")
                if str(verbose) != name.replace("_", " "):  # a field without a label keeps its name
                    labels.append(str(verbose))
    english = sorted({label for label in labels if ENGLISH.search(label)})
    assert not english, f"labels in English: {english}"


def test_the_audit_log_shows_actions_in_words(client, issued_plan, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    html = client.get("/nhat-ky/").content.decode()
    assert "Ban hành kế hoạch" in html and ">plan.issue<" not in html
