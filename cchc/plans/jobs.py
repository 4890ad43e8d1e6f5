"""The plan import's reading step as a background job: the upload is saved, the worker reads it,
the review screen takes up what it found (cchc/plans/views_import.py)."""

from __future__ import annotations

from django.urls import reverse

from cchc.jobs.registry import JobFailed, register
from cchc.jobs.runner import JobContext

from .importer import PlanImportError
from .importer.review import review_with_text

IMPORT = "plans.import"


def run_import(ctx: JobContext) -> None:
    ctx.progress(10, "Đang đọc văn bản…")
    data = ctx.read_input()
    try:
        review, lines = review_with_text(data, ctx.params["filename"], progress=ctx.progress)
    except PlanImportError as exc:
        raise JobFailed(str(exc)) from exc
    tasks, targets = len(review["plan"].get("tasks") or []), len(review["plan"].get("targets") or [])
    ctx.finish(
        result={
            "lines": lines,
            "structured": review["plan"],
            "review": {"tasks": review["tasks"], "warnings": review["warnings"], "order": review["order"]},
        },
        next_url=reverse("plans:import_job", args=[ctx.job.pk]),
        message=f"Đã đọc: {targets} chỉ tiêu, {tasks} nhiệm vụ; mời rà soát.",
    )


def register_jobs() -> None:
    register(IMPORT, run_import)
