"""The real worker: `cchc worker` processes consuming the queue (the SQLite file of the embedded
mode, and Redis as in production), on a database of their own (SQLite, or PostgreSQL when the
suite runs on it). A queued job waits for a worker; a worker killed in the middle of a job leaves
it to the next one, which runs it again; a failed run is tried again after a delay.

Nothing here is simulated: the jobs are plan-import readings of a real document; the "crash" is
SIGKILL while the job is blocked reading its upload (a named pipe stands in for a slow disk)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from .test_plan_import_web import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = FIXTURES / "ubnd-binhphuoc-2023.txt"
REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


class Site:
    """An installation of its own: data folder, database, queue; commands run as `cchc …` does."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.database_url = database_url
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_", "JOBS_"))}
        self.env |= {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "CCHC_DATA_DIR": str(tmp),
            "DATABASE_URL": database_url,
            "CCHC_JOB_RETRY_DELAY": "2",
            "CCHC_SCHEDULES": "0",
            "JOBS_QUEUE": f"cchc-test-{os.getpid()}",
        }
        self.workers: list[subprocess.Popen] = []

    def python(self, code: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    def enqueue(self) -> tuple[str, Path]:
        """A plan-import reading job (as the upload page starts one): its id and its saved upload."""
        out = self.python(
            "from django.core.files.uploadedfile import SimpleUploadedFile\n"
            "from cchc.core.actors import SYSTEM\n"
            "from cchc.jobs.services import job_start\n"
            f"data = open({str(DOCUMENT)!r}, 'rb').read()\n"
            "job = job_start(actor=SYSTEM, kind='plans.import', label='Đọc văn bản', "
            "params={'filename': 'kh.txt', 'issuer_id': 1}, upload=SimpleUploadedFile('kh.txt', data))\n"
            "print(job.pk, job.input_file.path)"
        )
        job_id, path = out.split(" ", 1)
        return job_id, Path(path)

    def job(self, job_id: str) -> dict:
        query = "SELECT state, attempts, progress, message, worker FROM jobs_job WHERE id = %s"
        if self.database_url.startswith("postgres"):
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                row = conn.execute(query, (job_id,)).fetchone()
        else:
            with sqlite3.connect(self.tmp / "cchc.sqlite3", timeout=30) as conn:
                row = conn.execute(query.replace("%s", "?"), (job_id.replace("-", ""),)).fetchone()
        return dict(zip(("state", "attempts", "progress", "message", "worker"), row, strict=True))

    def start_worker(self) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115 (kept open for the process)
        proc = subprocess.Popen(
            [sys.executable, "-m", "cchc.cli", "worker", "--workers", "1"],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        return proc

    def wait(self, job_id: str, check, what: str, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.job(job_id)
            if check(row):
                return row
            time.sleep(0.2)
        logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.tmp.glob("worker-*.log")))
        raise AssertionError(f"job {job_id} never {what}: {row}\n{logs}")

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated database for the worker processes (the suite's own test database is in memory
    on SQLite, or inside its transactions on PostgreSQL: no other process would see its rows)."""
    tmp = tmp_path_factory.mktemp("worker-site")
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        import psycopg

        name = f"test_cchc_{os.getpid()}_worker"
        admin = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
        if db.get("PASSWORD"):
            admin = admin.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + f"/{name}"
    else:
        url, admin, name = "", "", ""
    site = Site(tmp, url)
    subprocess.run(
        [sys.executable, "-m", "cchc.cli", "migrate", "--no-input", "-v", "0"],
        env=site.env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    yield tmp, url
    if name:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite-queue", "redis-queue"])
def site(request, database):
    tmp, url = database
    site = Site(tmp, url)
    if request.param == "redis-queue":
        if not _redis_up():
            pytest.skip("no Redis on 127.0.0.1:6379")
        site.env["JOBS_URL"] = f"redis://{REDIS[0]}:{REDIS[1]}/0"
    yield site
    site.stop_all()
    if request.param == "redis-queue":  # leave nothing of this run's queue on the shared server
        import redis

        client = redis.Redis(*REDIS)
        keys = list(client.scan_iter(match=f"*{site.env['JOBS_QUEUE']}*"))
        if keys:
            client.delete(*keys)


def test_a_job_queued_while_no_worker_runs_is_done_when_one_starts(site):
    first = site.start_worker()
    time.sleep(2)
    first.kill()  # the worker is gone (a crash, a reboot)
    first.wait()
    job_id, _ = site.enqueue()
    time.sleep(1)
    assert site.job(job_id)["state"] == "queued"
    site.start_worker()
    row = site.wait(job_id, lambda r: r["state"] == "succeeded", "succeeded")
    assert (row["attempts"], row["progress"]) == (1, 100)
    assert row["message"] == "Đã đọc: 19 chỉ tiêu, 41 nhiệm vụ; mời rà soát."


def test_a_worker_killed_in_the_middle_of_a_job_leaves_it_to_the_next(site):
    job_id, upload = site.enqueue()
    data = upload.read_bytes()
    upload.unlink()
    os.mkfifo(upload)  # reading the upload blocks until someone writes: the job stays in the middle
    doomed = site.start_worker()
    row = site.wait(job_id, lambda r: r["state"] == "running", "started")
    assert row["worker"].split(":")[1] == str(doomed.pid)
    doomed.kill()  # SIGKILL: no clean-up of any kind
    doomed.wait()
    assert site.job(job_id)["state"] == "running"  # as the crash left it
    upload.unlink()
    upload.write_bytes(data)
    site.start_worker()  # its start-up takes up what the dead one left
    row = site.wait(job_id, lambda r: r["state"] == "succeeded", "succeeded")
    assert row["attempts"] == 2 and row["progress"] == 100


def test_a_failed_run_is_tried_again_by_the_worker(site):
    job_id, upload = site.enqueue()
    data = upload.read_bytes()
    upload.unlink()  # the upload is not there (a network share that went away): the run fails
    site.start_worker()
    row = site.wait(job_id, lambda r: r["attempts"] >= 1 and r["state"] == "queued", "failed once")
    assert "sẽ tự chạy lại" in row["message"]
    upload.write_bytes(data)  # the share is back before the retry (2 s later)
    row = site.wait(job_id, lambda r: r["state"] in ("succeeded", "failed"), "finished")
    assert row["state"] == "succeeded" and row["attempts"] >= 2, row


def _children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is `pid`, with their command lines (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def _gone(pid: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.2)
    return False


def _serve(site: Site) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(site.tmp / f"serve-{port}.log", "wb")  # noqa: SIM115 (kept open for the process)
    serve = subprocess.Popen(
        [sys.executable, "-m", "cchc.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        + ["--no-migrate", "--workers", "1"],
        env=site.env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        workers = [pid for pid, cmd in _children(serve.pid) if "cchc.cli worker" in cmd]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            workers = []
        if workers:
            return serve, workers[0]
        assert serve.poll() is None, (site.tmp / f"serve-{port}.log").read_text(errors="replace")
        time.sleep(0.5)
    raise AssertionError("cchc serve did not start its web server and worker")


def test_serve_starts_the_worker_and_stops_it(database):
    """`cchc serve` (what `make run` runs) starts the worker beside gunicorn: a job queued is done;
    stopping the server stops the worker, and so does killing the server outright."""
    tmp, url = database
    site = Site(tmp, url)
    serve, worker = _serve(site)
    try:
        job_id, _ = site.enqueue()
        site.wait(job_id, lambda r: r["state"] == "succeeded", "succeeded")
        assert site.job(job_id)["worker"].split(":")[1] == str(worker)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=90)
    assert _gone(worker), "the worker outlived the server"

    serve, worker = _serve(site)
    serve.kill()  # SIGKILL: no on_exit hook runs; the worker gets its parent-death signal
    serve.wait()
    assert _gone(worker), "the worker outlived a killed server"
