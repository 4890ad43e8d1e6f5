"""Production refuses to start with simulated parts (issue 17): the simulated payment gateway is
for the demo only; without a real gateway configured, online payment is simply not offered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.dossiers.gateways import GatewayError, NoGateway

ROOT = Path(__file__).resolve().parent.parent


def load_production(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_"))}
    base |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "CCHC_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "JOBS_URL": "redis://127.0.0.1:6379/0",
    } | env
    code = "import django; django.setup(); from django.conf import settings; print(settings.CCHC_PAYMENT_GATEWAY)"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=base, cwd=ROOT, timeout=120
    )


def test_production_refuses_the_simulated_gateway(tmp_path):
    proc = load_production(tmp_path, CCHC_PAYMENT_GATEWAY="cchc.dossiers.gateways.SimulatedGateway")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and "mô phỏng" in proc.stderr


def test_production_defaults_to_no_online_payment(tmp_path):
    proc = load_production(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "cchc.dossiers.gateways.NoGateway"


def test_production_refuses_the_embedded_job_queue(tmp_path):
    """The SQLite queue in one host's data folder is for the embedded mode: production needs Redis."""
    proc = load_production(tmp_path, JOBS_URL="")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and "JOBS_URL" in proc.stderr
    assert load_production(tmp_path, JOBS_URL="redis://127.0.0.1:6379/0").returncode == 0


def test_production_needs_a_secret_key(tmp_path):
    proc = load_production(tmp_path, SECRET_KEY="")
    assert proc.returncode != 0 and "SECRET_KEY" in proc.stderr
    assert not (tmp_path / "secret_key").exists()


def test_check_deploy_has_nothing_to_say(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "CCHC_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 10 + "Z9x!" * 15,
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "JOBS_URL": "redis://127.0.0.1:6379/0",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNINGS" not in proc.stderr + proc.stdout and "identified no issues" in proc.stdout


def test_the_data_directory_is_private(tmp_path):
    load_production(tmp_path)
    assert (tmp_path.stat().st_mode & 0o777) == 0o700


def test_no_gateway_refuses_with_a_message():
    with pytest.raises(GatewayError, match="Bộ phận Một cửa"):
        NoGateway().start(payment=None)
    with pytest.raises(GatewayError):
        NoGateway().confirm("SIM-1", {"outcome": "paid"})
