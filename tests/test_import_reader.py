"""The forked reader of `cchc dossiers import` dies with its parent — even when the parent is
killed with SIGKILL — and never uses the parent's database connection."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    django.setup()
    from django.db import connection
    from cchc.dossiers.imports.run import _Child

    connection.ensure_connection()

    def produce():
        from django.db import connections
        yield [c.connection is None for c in connections.all(initialized_only=True)]
        while True:  # a reader with a very long file
            time.sleep(0.05)
            yield [b"x" * 1000]

    child = _Child(produce)
    batches = iter(child)
    print(os.getpid(), child._process.pid, all(next(batches)), flush=True)
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"  # a zombie is dead, waiting to be reaped
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_reader_dies_with_a_killed_parent(tmp_path):
    env = dict(os.environ, CCHC_DATA_DIR=str(tmp_path))
    parent = subprocess.Popen(
        [sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True, env=env, cwd=os.getcwd()
    )
    try:
        parent_pid, child_pid, forgot_connection = parent.stdout.readline().split()
        assert int(parent_pid) == parent.pid and forgot_connection == "True"
        assert _alive(int(child_pid))
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(int(child_pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(int(child_pid)), "the reader outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
