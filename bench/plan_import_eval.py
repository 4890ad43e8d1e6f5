"""Plan import: precision/recall on the samples and import speed. Prints figures, asserts nothing.

For each sample that has an expected structure — tests/fixtures/plans/ and the real documents of
../shared/samples/plans/ (or $CCHC_PLAN_SAMPLES), read where they are, never copied — task and
target precision, recall and F1 (matching rules in cchc/plans/importer/evaluate.py), the agreement
of the other fields of matched items, and the import time (median of 3 runs, ms); then the overall
figures and the time to import a document of about 60 KB, of 65 KB of text-extracted tables and of
about 100 pages (wall and CPU time: the machine may be shared). Then each sample as the other
forms it arrives in — DOCX with a Word table, DOCX of one paragraph per line, and PDF printed from
the DOCX by LibreOffice (when installed) — with the tasks and targets matched in each against the
text's (the same document must give the same structure in every form).

    .venv/bin/python bench/plan_import_eval.py [--no-variants]

No Django needed: the importer is plain Python.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc.plans.importer import parse_plan_bytes  # noqa: E402
from cchc.plans.importer.evaluate import evaluate  # noqa: E402
from cchc.plans.importer.extract import extract  # noqa: E402
from cchc.plans.importer.model import Table  # noqa: E402
from cchc.plans.importer.scraped import is_scraped  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "plans"
# the real documents with their expected structure, read where they are (never copied in here)
SAMPLES = Path(os.environ.get("CCHC_PLAN_SAMPLES", ROOT.parent / "shared" / "samples" / "plans"))


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def timed(data: bytes, name: str, runs: int = 3) -> tuple[dict, float]:
    result, times = None, []
    for _ in range(runs):
        started = time.perf_counter()
        result = parse_plan_bytes(data, name)
        times.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(times)


def main() -> int:
    found_in: dict[str, Path] = {}
    for folder in (FIXTURES, SAMPLES):  # a sample present in both is read once
        if folder.is_dir():
            for p in sorted(folder.iterdir()):
                if p.suffix in (".txt", ".md") and p.with_suffix(".expected.json").exists():
                    found_in.setdefault(p.name, p)
    samples = sorted(found_in.values(), key=lambda p: p.name)
    totals = {"tasks": [0, 0, 0], "targets": [0, 0, 0]}  # found, expected, matched
    print(
        f"{'sample':44} {'KB':>5} {'ms':>7} | {'tasks P':>7} {'R':>6} {'F1':>6} {'n':>4} "
        f"| {'targets P':>9} {'R':>6} {'F1':>6} {'n':>4}"
    )
    for path in samples:
        data = path.read_bytes()
        found, ms = timed(data, path.name)
        scores = evaluate(found, json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))
        t, g = scores["tasks"], scores["targets"]
        for kind, s in scores.items():
            totals[kind][0] += s.found
            totals[kind][1] += s.expected
            totals[kind][2] += s.matched
        print(
            f"{path.name[:44]:44} {len(data) / 1024:5.1f} {ms:7.1f} "
            f"| {t.precision:7.3f} {t.recall:6.3f} {f1(t.precision, t.recall):6.3f} {t.expected:4} "
            f"| {g.precision:9.3f} {g.recall:6.3f} {f1(g.precision, g.recall):6.3f} {g.expected:4}"
        )
        weak = {f"task.{k}": v for k, v in t.fields.items() if v < 1} | {
            f"target.{k}": v for k, v in g.fields.items() if v < 1
        }
        if weak:
            print(
                "    fields of matched items below 1.0: " + ", ".join(f"{k} {v:.2f}" for k, v in weak.items())
            )
    for kind, (found_n, expected_n, matched) in totals.items():
        precision = matched / found_n if found_n else 1.0
        recall = matched / expected_n if expected_n else 1.0
        print(
            f"overall {kind:8} precision {precision:.3f}  recall {recall:.3f}  F1 {f1(precision, recall):.3f}  "
            f"({matched}/{expected_n} matched, {found_n} found)"
        )

    filler = (FIXTURES / "sxd-binhphuoc-2021-2025.txt").read_text(encoding="utf-8")
    largest = FIXTURES / "ubnd-binhphuoc-2023.txt"  # the timing documents are built from fixtures
    text = largest.read_text(encoding="utf-8")
    body_end = text.find("PHỤ LỤC")
    big = text[:body_end] + filler[: max(0, 61_440 - len(text.encode("utf-8")))] + text[body_end:]
    data = big.encode("utf-8")
    found, ms = timed(data, "60kb.txt")
    print(
        f"a {len(data) / 1024:.0f} KB document ({largest.name} + sample text): {ms:.0f} ms "
        f"({len(found['tasks'])} tasks, {len(found['targets'])} targets)"
    )
    # the slowest part is a table broken over lines: a document that is nothing but such tables
    annex = text[body_end:]
    tables = text[:1000] + annex * max(1, round(61_440 / len(annex.encode("utf-8"))))
    data = tables.encode("utf-8")
    found, ms = timed(data, "tables.txt", runs=3)
    print(
        f"a {len(data) / 1024:.0f} KB document of text-extracted appendix tables: {ms:.0f} ms ({len(found['tasks'])} tasks)"
    )
    # about 100 pages (≈ 3 KB of text a page): the body of the plan, then its appendix, repeated
    pages = text[:body_end] * 4 + annex * max(1, round((300_000 - 4 * body_end) / len(annex)))
    data = pages.encode("utf-8")
    # CPU time as well as wall time: on a shared machine the wall clock also counts waiting
    cpu = time.process_time()
    found, ms = timed(data, "100-trang.txt", runs=1)
    cpu_ms = (time.process_time() - cpu) * 1000
    print(
        f"a {len(data) / 1024:.0f} KB document (about 100 pages) of body text and appendix tables: "
        f"{ms:.0f} ms wall, {cpu_ms:.0f} ms CPU ({len(found['tasks'])} tasks)"
    )
    for extra in ("sonv-tayninh-2024.pdf",):
        path = FIXTURES / extra
        if path.exists():
            found, ms = timed(path.read_bytes(), path.name, runs=3)
            print(f"{extra}: {ms:.0f} ms ({len(found['tasks'])} tasks)")
    if "--no-variants" not in sys.argv:
        variants(samples)
    return 0


def variants(samples: list[Path]) -> None:
    """Each sample as DOCX (Word table; one paragraph per line) and as PDF printed from the DOCX:
    tasks and targets matched against the expected structure, beside the text's own figures."""
    sys.path.insert(0, str(FIXTURES))
    import shape_docs  # the test suite's builders of DOCX variants

    from cchc.core.documents.pdf import docx_to_pdf, soffice_path

    has_pdf = soffice_path() is not None
    print("\nthe same documents in their other forms: tasks matched / targets matched (of expected)")
    print(f"{'sample':44} {'text':>9} {'docx':>9} {'docx ¶':>9} {'pdf':>9}")
    same = total = 0
    for path in samples:
        data = path.read_bytes()
        want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))

        def score(found: dict, want: dict = want) -> str:
            s = evaluate(found, want)
            return f"{s['tasks'].matched}/{s['targets'].matched}"

        text_score = score(parse_plan_bytes(data, path.name))
        table_docx = shape_docs.docx_from_blocks(extract(data, path.name).blocks)
        forms = {
            "docx": table_docx,
            # pasted into Word one paragraph per line; a Markdown pipe table has no such form:
            # its cells are written one paragraph each
            "docx ¶": shape_docs.paragraphs_from_blocks(extract(data, path.name).blocks)
            if path.suffix == ".md"
            and not is_scraped(data.decode("utf-8"))
            and any(isinstance(b, Table) for b in extract(data, path.name).blocks)
            else shape_docs.paragraphs_of_text(data.decode("utf-8")),
        }
        scores = {name: score(parse_plan_bytes(body, f"ke-hoach.{name[:4]}")) for name, body in forms.items()}
        scores["pdf"] = score(parse_plan_bytes(docx_to_pdf(table_docx), "ke-hoach.pdf")) if has_pdf else "—"
        for name in ("docx", "pdf"):
            if scores[name] != "—":
                total += 1
                same += scores[name] == text_score
        print(
            f"{path.name[:44]:44} {text_score:>9} {scores['docx']:>9} {scores['docx ¶']:>9} {scores['pdf']:>9}"
        )
    print(f"DOCX-table and PDF forms that give the text's figures: {same} of {total}")


if __name__ == "__main__":
    sys.exit(main())
