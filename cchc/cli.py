"""The `cchc` command.

    cchc serve [--host H] [--port P] [--workers N]   production server (gunicorn + WhiteNoise) and
                                                      the background-job worker (--no-worker: not it)
    cchc worker                                       the background-job worker alone (jobs, schedules)
    cchc demo                                         load the demo province (once)
    cchc <django command> ...                         e.g. cchc migrate, cchc load_units
    cchc <group> <verb> ...                           two-word commands map to management commands
                                                      named group_verb: `cchc plan import` → plan_import,
                                                      `cchc due-date` → due_date

Settings default to the embedded mode (SQLite in the data directory); set DATABASE_URL and
DJANGO_SETTINGS_MODULE=config.settings.production for PostgreSQL in production.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="cchc serve", description="Chạy ứng dụng với máy chủ gunicorn.")
    parser.add_argument("--host", default=os.environ.get("CCHC_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CCHC_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CCHC_WORKERS", "3")))
    parser.add_argument("--no-migrate", action="store_true", help="không tự chạy migrate trước khi phục vụ")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        default=os.environ.get("CCHC_SERVE_WORKER", "1").strip().lower() in {"0", "false", "no", "off"},
        help="không chạy kèm tiến trình tác vụ nền (khi `cchc worker` chạy riêng)",
    )
    args = parser.parse_args(argv)
    _setup()
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]  # no types shipped

    from config.wsgi import application

    worker = None if args.no_worker else start_worker()

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            self.cfg.set("on_exit", lambda _arbiter: stop_worker(worker))

        def load(self):
            return application

    print(f"CCHC đang chạy tại http://{args.host}:{args.port}/  (Ctrl+C để dừng)", flush=True)
    Server().run()
    return 0


def start_worker() -> subprocess.Popen[bytes]:
    """The background-job worker (`cchc worker`) as a child of the web server: it dies with it,
    even when the server is killed outright (Linux's parent-death signal)."""

    def die_with_parent() -> None:
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # not Linux: stopped by on_exit only
            pass

    return subprocess.Popen([sys.executable, "-m", "cchc.cli", "worker"], preexec_fn=die_with_parent)


def stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Stop the worker as huey expects (SIGINT: finish the running jobs, then leave)."""
    if worker is None or worker.poll() is not None:
        return
    worker.send_signal(signal.SIGINT)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _command_name(argv: list[str]) -> list[str]:
    """`plan import X` → `plan_import X`, `due-date …` → `due_date …` when such a command exists."""
    from django.core.management import get_commands

    commands = get_commands()
    if len(argv) >= 2 and not argv[1].startswith("-"):
        joined = f"{argv[0]}_{argv[1]}".replace("-", "_")
        if joined in commands:
            return [joined, *argv[2:]]
    if argv and argv[0].replace("-", "_") in commands:
        return [argv[0].replace("-", "_"), *argv[1:]]
    return argv


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    _setup()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["cchc", *_command_name(argv)])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`cchc dossiers export … | head`): stop quietly, as Unix tools do,
        # instead of a traceback; stdout is pointed at /dev/null so the exit flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
    return 0


if __name__ == "__main__":
    sys.exit(main())
