"""The worker as a real process: killed (SIGKILL) in the middle of a branch's export, another worker started later
finds the job silent, runs it again from the start, and the file is byte for byte the one an uninterrupted run
gives (SHA-256). A web restart loses nothing either: the job and its task are rows of the database."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROWS = 4000


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    env.update(DANGVU_DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}", DANGVU_MEDIA_ROOT=str(tmp / "media"),
               DANGVU_VAR_DIR=str(tmp), DANGVU_JOB_STALE_SECONDS="2", DJANGO_SETTINGS_MODULE="dangvu.settings")  # fmt: skip
    return env


def _py(env, *args, timeout=300) -> str:
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(HERE / "scenario.py"), *args], env=env, capture_output=True,
                         text=True, timeout=timeout)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1]


def _worker(env, *extra):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "dangvu", "worker", "--no-startup-delay", "--interval", "0.2",
                             "--sweep-seconds", "1", "-v", "0", *extra], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip


def test_a_worker_killed_mid_export_is_replaced_and_the_file_is_identical(tmp_path):
    env = _env(tmp_path)
    job = _py(env, "setup", str(ROWS))
    state = lambda: json.loads(_py(env, "state", job))  # noqa: E731

    first = _worker(env)
    deadline = time.monotonic() + 120
    seen = {}
    while time.monotonic() < deadline:
        seen = state()
        if seen["state"] == "running" and 0 < seen["done"] < ROWS:
            break
        assert seen["state"] != "done", "the export finished before the worker could be killed"
        time.sleep(0.05)
    else:
        pytest.fail(f"the job never showed progress: {seen}")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    halfway = state()
    assert halfway["state"] == "running" and halfway["sha256"] == ""  # killed mid-run: nothing stored

    second = _worker(env)  # sweeps at once, then every second: the heartbeat is silent for 2 s
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and state()["state"] != "done":
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
        log = second.stderr.read().decode(errors="replace")
    done = state()
    assert "Traceback" not in log, log[-3000:]
    assert done["state"] == "done" and done["attempts"] == 2 and done["rows"] == ROWS, (done["error"], done)
    assert _py(env, "again", job) == done["sha256"]  # an uninterrupted run gives the same bytes
