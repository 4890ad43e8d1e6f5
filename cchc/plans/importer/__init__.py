"""Plan import: a plan document (.docx, .pdf, .txt, .md) → the structured plan of the contract.

    from cchc.plans.importer import parse_plan_file, parse_plan_bytes, PlanImportError

    structured = parse_plan_file(Path("ke-hoach-cchc-2024.pdf"))
    structured["tasks"][0]["lead"]        # ["Sở Nội vụ"]

Pure Python: nothing here needs Django except `save.plan_import_save`, which writes a parsed
plan into the database as a draft.

Modules, in the order the data flows:
  extract (a file → blocks; docx, pdf for those formats) → paragraphs (printed lines → paragraphs)
  and texttable + cells (tables broken over lines → rows of cells) → outline (sections, reform
  areas, year context) → metadata (issuer, province, number, date, period, kind), targets
  (quantified goals), tables (appendix grids → tasks), blocks (task blocks in the body), bodies
  (lead/coordinating lists) → parse (the structured plan). evaluate scores a result against an
  expected structure; save writes one to the database.
"""

from __future__ import annotations

from pathlib import Path

from .extract import check_supported, extract
from .model import ImportedTarget, ImportedTask, PlanImportError, StructuredPlan
from .parse import parse_document, parse_document_titled

__all__ = [
    "ImportedTarget",
    "ImportedTask",
    "PlanImportError",
    "StructuredPlan",
    "parse_plan_bytes",
    "parse_plan_file",
]


def parse_plan_bytes(data: bytes, filename: str, *, with_title: bool = False) -> StructuredPlan:
    """The structured plan read from a file's bytes; its name gives the format. `with_title`
    adds the document's own title (`title`, beyond the contract's keys) for saving."""
    document = extract(data, filename)
    if not with_title:
        return {"source": document.source, **parse_document(document)}
    parsed, title = parse_document_titled(document)
    plan: StructuredPlan = {"source": document.source, **parsed}
    if title:
        plan["title"] = title
    return plan


def parse_plan_file(path: Path, *, with_title: bool = False) -> StructuredPlan:
    path = Path(path)
    check_supported(path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PlanImportError(f"Không tìm thấy tệp {path.name}.") from exc
    except IsADirectoryError as exc:
        raise PlanImportError(f"{path.name} là một thư mục, không phải tệp.") from exc
    except OSError as exc:
        raise PlanImportError(f"Không đọc được tệp {path.name}.") from exc
    return parse_plan_bytes(data, path.name, with_title=with_title)
