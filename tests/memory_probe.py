"""Measure how much a piece of code grows a process's peak resident memory, in a fresh interpreter.

The peak is `VmHWM` of /proc/self/status: it starts afresh with the new process image, whereas `ru_maxrss` keeps the
peak of the process that forked it (pytest, often hundreds of MB), so growth below that would go unmeasured.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_PEAK = """
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
"""

# Land one delivered file (argv: the data root, the file) and print its outcome, rows landed and the peaks.
LAND_FILE = """
import sys
from pathlib import Path
from extract import extract_file
root, path = Path(sys.argv[1]), Path(sys.argv[2])
before = peak_kb()
outcome = extract_file(path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive")
after = peak_kb()
print(outcome.outcome, outcome.rows_landed, before, after)
"""


def growth_mb(script: str, *args: str) -> tuple[list[str], float]:
    """Run `script` (which prints its results, then `peak_kb()` before and after the code measured) in a fresh
    interpreter at the repository root; its printed results and the growth of its peak in MB."""
    result = subprocess.run(
        [sys.executable, "-c", _PEAK + script, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    *printed, before, after = result.stdout.split()
    return printed, (int(after) - int(before)) / 1024
