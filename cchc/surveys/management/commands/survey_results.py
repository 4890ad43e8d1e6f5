"""`cchc survey results --questionnaire questionnaire.csv --responses responses.csv [--strict]
[--out results.csv]`: the satisfaction figures of every unit in the response file (contract:
docs/specs/survey-results.md). Needs no database.

A bad response row is reported on stderr as ``responses.csv:LINE: reason`` and left out; the rest
is computed. With --strict the first bad row stops the command: exit status 2, nothing written.
An error in the questionnaire, or in a file itself (encoding, header), always stops it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import CommandParser

from cchc.core.commands import EXIT_BAD_INPUT, ToolCommand
from cchc.surveys import files, formulas


class Command(ToolCommand):
    tool = "survey results"
    help = "Tính tỷ lệ hài lòng của các đơn vị từ tệp bộ câu hỏi và tệp phiếu trả lời (docs/specs/survey-results.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--questionnaire", required=True, help="questionnaire.csv: bộ câu hỏi")
        parser.add_argument(
            "--responses", required=True, help="responses.csv (hoặc .xlsx): các phiếu trả lời"
        )
        parser.add_argument("--strict", action="store_true", help="dừng ở dòng lỗi đầu tiên, không ghi gì")
        parser.add_argument("--out", help="tệp kết quả results.csv (mặc định: in ra màn hình)")

    def handle(self, *args: Any, **options: Any) -> None:
        questionnaire_path: str = options["questionnaire"]
        responses_path: str = options["responses"]
        out: str | None = options.get("out")
        if out and any(_same_file(out, p) for p in (questionnaire_path, responses_path)):
            self.fail(f"--out {out} là tệp đầu vào: ghi kết quả ra tệp khác để không mất dữ liệu.")
        try:
            questionnaire = formulas.build_questionnaire(
                files.read_questionnaire_rows(_read(questionnaire_path))
            )
        except formulas.SurveyErrors as exc:
            _report(questionnaire_path, exc.errors, stop=True)
        try:
            rows = files.read_response_rows(_read(responses_path))
            answers, bad = formulas.check_responses(questionnaire, rows, strict=options["strict"])
        except formulas.SurveyErrors as exc:
            _report(responses_path, exc.errors, stop=True)
        _report(responses_path, bad, stop=False)
        text = files.results_csv(formulas.result_rows(formulas.compute_results(questionnaire, answers)))
        if out:
            try:
                Path(out).write_text(text, encoding="utf-8")
            except OSError as exc:
                self.fail(f"{out}: không ghi được tệp ({exc.strerror}).")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).samefile(b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"{path}:0: không đọc được tệp ({exc.strerror}).\n")
        sys.exit(EXIT_BAD_INPUT)


def _report(path: str, errors: list[formulas.SurveyError], *, stop: bool) -> NoReturn | None:
    for error in errors:
        sys.stderr.write(f"{path}:{error.line}: {error.reason}\n")
    sys.stderr.flush()
    if stop:
        sys.exit(EXIT_BAD_INPUT)
    return None
