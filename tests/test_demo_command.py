"""`cchc demo` prints nothing alarming: no raw e-mail, counts with Vietnamese separators, and the
dossier code and phone digits a reader can try at /tra-cuu/ (they exist)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

import cchc.demo.management.commands.demo as demo_command
from cchc.demo import loader


@pytest.mark.django_db
def test_demo_output_reads_calmly(monkeypatch):
    def small_demo(*, log, **kwargs):
        return loader.load_demo(log=log, dossiers=300, **kwargs)

    monkeypatch.setattr(demo_command, "load_demo", small_demo)
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Content-Type:" not in text and "=?utf-8?" not in text  # notices kept, not printed
    code, digits = loader.lookup_sample()
    assert f"Người dân tra cứu hồ sơ tại /tra-cuu/: mã hồ sơ {code}, 4 số cuối điện thoại {digits}." in text
    done = next(line for line in text.splitlines() if line.startswith("Xong: "))
    assert "1.993 lượt giao" in done and not re.search(r"\d{4}", done)  # 1.993, never 1993
