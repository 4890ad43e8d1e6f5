"""`cchc due-date`: the contract of docs/specs/working-time.md, through the installed command."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

CCHC = Path(sys.executable).parent / "cchc"


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["CCHC_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(CCHC), "due-date", *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120
    )


def test_spec_example_through_the_command(tmp_path):
    proc = run(tmp_path, "--received", "2026-02-13 16:05", "--duration", "5", "--unit", "working_day")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.count("\n") == 1  # one JSON object on one line
    data = json.loads(proc.stdout)
    assert list(data) == ["received", "effective_start", "due", "skipped"]
    assert data["received"] == "2026-02-13T16:05:00+07:00"
    assert data["effective_start"] == "2026-02-23T07:30:00+07:00"
    assert data["due"] == "2026-02-27T17:00:00+07:00"
    assert [s["date"] for s in data["skipped"]] == [f"2026-02-{d}" for d in (16, 17, 18, 19, 20)]
    assert all(set(s) == {"date", "reason"} and s["reason"] for s in data["skipped"])


def test_pause_through_the_command(tmp_path):
    proc = run(
        tmp_path,
        "--received",
        "2026-03-02 09:00",
        "--duration",
        "5",
        "--unit",
        "working_day",
        "--pause",
        "2026-03-03 10:00/2026-03-05 14:00",
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "received": "2026-03-02T09:00:00+07:00",
        "effective_start": "2026-03-02T09:00:00+07:00",
        "due": "2026-03-11T11:30:00+07:00",
        "skipped": [],
    }


@pytest.mark.parametrize(
    "args",
    [
        [
            "--received",
            "13/02/2026 giờ chiều",
            "--duration",
            "5",
            "--unit",
            "working_day",
        ],  # unparseable time
        ["--received", "2026-02-13 16:05", "--duration", "-1", "--unit", "working_day"],  # negative duration
        ["--received", "2026-02-13 16:05", "--duration", "5", "--unit", "week"],  # unknown unit
        [
            "--received",
            "2026-03-02 09:00",
            "--duration",
            "5",
            "--pause",
            "2026-03-05 14:00/2026-03-03 10:00",
        ],  # pause ends before it starts
        ["--received", "2026-02-13 16:05", "--duration", "năm"],  # not a number
        ["--received", "2026-02-13 16:05", "--duration", "5", "--pause", "2026-03-03 10:00"],  # no end
        ["--duration", "5"],  # no receipt time
    ],
    ids=["time", "negative", "unit", "pause-order", "duration-text", "pause-format", "missing"],
)
def test_bad_input_exits_2_with_one_line(tmp_path, args):
    proc = run(tmp_path, *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), proc.stderr
    assert "Traceback" not in proc.stderr


def test_in_process_with_units():
    out = io.StringIO()
    call_command("due_date", received="2026-03-02 09:00", duration="3", unit="working_hour", stdout=out)
    assert json.loads(out.getvalue())["due"] == "2026-03-02T13:30:00+07:00"
    out = io.StringIO()
    call_command("due_date", received="2026-03-02T02:00:00Z", duration="5", unit="calendar_day", stdout=out)
    data = json.loads(out.getvalue())
    assert data["received"] == "2026-03-02T09:00:00+07:00"
    assert data["due"] == "2026-03-09T17:00:00+07:00"
