"""`cchc due-date`: the due date of a dossier under the default policy, as one JSON object.

    cchc due-date --received "2026-02-13 16:05" --duration 5 --unit working_day \
        [--pause "2026-03-03 10:00/2026-03-05 14:00"]...

Bad input exits with status 2 and a one-line message on stderr (contract: docs/specs/working-time.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from cchc.core.commands import ToolCommand
from cchc.core.workingtime import DuePolicy, WorkingTimeError, default_calendar, parse_duration, parse_unit


def parse_moment(text: str, what: str = "thời điểm") -> dt.datetime:
    """'2026-02-13 16:05', '2026-02-13T16:05:00+07:00', '2026-02-13' (00:00); no offset = local."""
    try:
        return dt.datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise WorkingTimeError(
            f"{what} không hợp lệ: {text!r} (dùng dạng 'YYYY-MM-DD HH:MM', có thể kèm độ lệch như +07:00)"
        ) from None


def parse_pause(text: str) -> tuple[dt.datetime, dt.datetime]:
    start, sep, end = text.partition("/")
    if not sep:
        raise WorkingTimeError(f"khoảng tạm dừng không hợp lệ: {text!r} (dùng dạng 'BẮT ĐẦU/KẾT THÚC')")
    return parse_moment(start, "thời điểm bắt đầu tạm dừng"), parse_moment(end, "thời điểm kết thúc tạm dừng")


class Command(ToolCommand):
    help = "Tính hạn giải quyết theo thời gian làm việc (chính sách mặc định), in một đối tượng JSON."
    tool = "due-date"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", required=True, help="thời điểm tiếp nhận, vd. '2026-02-13 16:05'")
        parser.add_argument("--duration", required=True, help="thời hạn (số không âm)")
        parser.add_argument(
            "--unit", default="working_day", help="working_day (mặc định), working_hour hoặc calendar_day"
        )
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            help="khoảng tạm dừng 'BẮT ĐẦU/KẾT THÚC' (lặp lại được)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            received = parse_moment(options["received"], "thời điểm tiếp nhận")
            duration = parse_duration(options["duration"])
            unit = parse_unit(options["unit"])
            pauses = [parse_pause(p) for p in options["pause"]]
            policy = DuePolicy(default_calendar())
            for start, end in pauses:
                policy.check_pause(start, end)
            result = policy.due_date(received, duration, unit, pauses)
        except WorkingTimeError as exc:
            self.fail(str(exc))
            return
        except (OverflowError, ValueError) as exc:  # e.g. a date arithmetic overflow
            self.fail(f"dữ liệu không hợp lệ: {exc}")
            return
        stream = getattr(self.stdout, "_out", self.stdout)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        self.stdout.write(result.to_json(ensure_ascii=encoding != "utf8"))
