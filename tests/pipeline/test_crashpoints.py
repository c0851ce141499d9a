"""The fault-injection hook of the crash tests: inert unless CSC_CRASH_AT names the point, then a real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from pipeline.crashpoints import CRASH_ENV, crashpoint
from pipeline.settings import REPO_ROOT

# Reaches point `x` three times, printing after each arrival that did not kill it.
_THREE_ARRIVALS = textwrap.dedent(
    """
    from pipeline.crashpoints import crashpoint
    for arrival in (1, 2, 3):
        crashpoint("x")
        print(f"after {arrival}", flush=True)
    """
)


def _arrive(spec: str | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != CRASH_ENV}
    env["PYTHONPATH"] = str(REPO_ROOT)
    if spec is not None:
        env[CRASH_ENV] = spec
    return subprocess.run([sys.executable, "-c", _THREE_ARRIVALS], env=env, capture_output=True, text=True, timeout=60)


def test_without_the_setting_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CRASH_ENV, raising=False)
    crashpoint("x")  # still alive
    monkeypatch.setenv(CRASH_ENV, "y")
    crashpoint("x")  # another point named: still alive


@pytest.mark.parametrize(
    ("spec", "printed", "returncode"),
    [
        (None, "after 1\nafter 2\nafter 3\n", 0),
        ("y:1", "after 1\nafter 2\nafter 3\n", 0),  # another point
        ("x", "", -signal.SIGKILL),  # no count: the first arrival
        ("x:2", "after 1\n", -signal.SIGKILL),  # the second arrival: one print got out
        ("x:4", "after 1\nafter 2\nafter 3\n", 0),  # never reached a fourth time
    ],
)
def test_the_named_arrival_is_killed_with_sigkill(spec: str | None, printed: str, returncode: int) -> None:
    result = _arrive(spec)
    assert (result.stdout, result.returncode) == (printed, returncode)


# A parent that starts a long child the way dbt is started, reports its pid, then waits to be killed.
_PARENT = textwrap.dedent(
    """
    import subprocess, sys, time
    from pipeline.dbt_runner import _dies_with_parent
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], preexec_fn=_dies_with_parent())
    print(child.pid, flush=True)
    time.sleep(120)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_started_like_dbt_dies_with_its_killed_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    os.kill(child, 0)  # alive while its parent is
    parent.kill()
    assert parent.wait(timeout=30) == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its killed parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie waiting for init to reap it counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
