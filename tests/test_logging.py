"""A refused page (403) is logged as one line, without the traceback of the refusal."""

import logging

from django.conf import settings
from django.urls import reverse

from cchc.core.logging import RefusalWithoutTraceback
from cchc.tracking.models import Assignment

from .conftest import PASSWORD


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RefusalWithoutTraceback())
        self.formatter = logging.Formatter()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_403_is_one_line(client, issued_plan, users):
    other = Assignment.objects.filter(task__plan=issued_plan, unit__code="P75.SCT").first()
    client.login(username=users.officer.username, password=PASSWORD)
    handler = Capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        assert client.get(reverse("tracking:assignment", args=[other.pk])).status_code == 403
    finally:
        logger.removeHandler(handler)
    assert handler.lines and all("Traceback" not in line for line in handler.lines)
    assert any(line.startswith("Forbidden") for line in handler.lines)
    assert "refusal_without_traceback" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_closed_pipe_stops_a_command_quietly(tmp_path):
    """`cchc dossiers generate … | head -1`: the first line, then a quiet stop (no traceback)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    cchc = Path(sys.executable).parent / "cchc"
    env = dict(os.environ, CCHC_DATA_DIR=str(tmp_path))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'"{cchc}" dossiers generate --count 20000 --seed 1 | head -1; exit ${{PIPESTATUS[0]}}',
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.stdout.startswith("ma_ho_so,") and done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr
    assert done.returncode == 141
