"""What runs on a schedule: every reminder command and the time-driven recomputes.

Times are Vietnam's (settings.TIME_ZONE), whatever the server's clock zone. Each entry calls a
`cchc` command by name, so this low app imports none of the apps whose commands it runs. The
worker runs them (`cchc worker`, or `cchc serve` which starts it); CCHC_SCHEDULES=0 turns them
off where cron or another host runs them instead (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from huey import crontab


@dataclass(frozen=True)
class Schedule:
    command: str
    label: str
    when: str  # as said to a person, for `cchc worker --schedules` and the docs
    cron: dict[str, str]
    args: Callable[[dt.date], list[str]] = field(default=lambda today: [])


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        "remind",
        "Nhắc nhiệm vụ quá hạn, chưa cập nhật tiến độ",
        "7:30 thứ Hai hằng tuần",
        {"minute": "30", "hour": "7", "day_of_week": "1"},
    ),
    Schedule(
        "dossiers_remind",
        "Cảnh báo hồ sơ sắp quá hạn (thư xin lỗi)",
        "đầu mỗi giờ, 7:00–17:00, thứ Hai–thứ Sáu",
        {"minute": "0", "hour": "7-17", "day_of_week": "1-5"},
    ),
    Schedule("report_remind", "Nhắc hạn gửi báo cáo định kỳ", "7:00 hằng ngày", {"minute": "0", "hour": "7"}),
    Schedule(
        "par_remind", "Nhắc hạn tự đánh giá Chỉ số CCHC", "7:05 hằng ngày", {"minute": "5", "hour": "7"}
    ),
    Schedule(
        "inspection_remind",
        "Nhắc hạn khắc phục sau kiểm tra",
        "7:10 hằng ngày",
        {"minute": "10", "hour": "7"},
    ),
    Schedule(
        "index766_compute",
        "Tính lại Chỉ số 766 của năm, quý, tháng đang diễn ra",
        "1:30 hằng đêm",
        {"minute": "30", "hour": "1"},
        lambda today: [
            "--period",
            f"{today.year}",
            "--period",
            f"{today.year}-Q{(today.month - 1) // 3 + 1}",
            "--period",
            f"{today:%Y-%m}",
        ],
    ),
    Schedule(
        "indicators_rebuild",
        "Tính lại số liệu chỉ số hồ sơ của năm nay (đối chiếu với hồ sơ)",
        "2:30 Chủ nhật hằng tuần",
        {"minute": "30", "hour": "2", "day_of_week": "0"},
        lambda today: ["--year", str(today.year)],
    ),
)


def local_crontab(**cron: str) -> Callable[[dt.datetime], bool]:
    """huey's crontab read in Vietnam's time: the consumer hands a naive UTC time."""
    check = crontab(**cron)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def validate(timestamp: dt.datetime) -> bool:
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=dt.UTC)
        local = timestamp.astimezone(zone).replace(tzinfo=None)
        return bool(check(local))

    return validate
