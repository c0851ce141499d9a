"""Memory of one extraction task stays proportional to its file, within a bound (docs/operations.md, "Resource
limits"): a reader that kept several copies of a file's rows, or all of a CIN file's trees, would break it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.settings import REPO_ROOT

# Extract one generated file in a fresh interpreter; print the growth of its peak resident memory in MB.
_MEASURE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from extract import extract_file

    def peak_kb():  # VmHWM starts afresh with the new process image; ru_maxrss keeps the forking pytest's peak
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    root, kind, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if kind == "903":
        folder = root / "inbound" / "E06000039" / "2025-10" / "903"
        folder.mkdir(parents=True)
        path = folder / "episodes.csv"
        header = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
        rows = (f"C{n:07d},01/05/2025,S,C2,N1,U4,PR1,,,,SL1 2EL,SL1 2EL,XXXXXXX" for n in range(count))
        path.write_text(header + "\\n" + "\\n".join(rows) + "\\n")
    else:
        from tests.extract.family_builders import cin_child, cin_xml, deliver_to
        children = "".join(cin_child(f"C{n:07d}") for n in range(count))
        path = deliver_to(root / "inbound", "cin", "E06000039_cin_2025-26.xml", cin_xml(children))
    before = peak_kb()
    folders = {"inbound_dir": root / "inbound", "landing_dir": root / "landing", "archive_dir": root / "archive"}
    outcome = extract_file(path, **folders)
    grown = (peak_kb() - before) / 1024
    print(outcome.outcome, outcome.rows_landed, round(grown), path.stat().st_size // 1_000_000)
    """
)


def _measure(tmp_path: Path, kind: str, count: int) -> tuple[str, int, int, int]:
    completed = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(tmp_path), kind, str(count)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcome, landed, grown, size = completed.stdout.split()
    return outcome, int(landed), int(grown), int(size)


@pytest.mark.slow
def test_a_903_file_of_50000_rows_extracts_within_150_mb(tmp_path: Path) -> None:
    # Measured: 70 MB for this 3 MB file (44 MB at 20 000 rows: ~25 MB of readers imported on first use, then about
    # 1.5 KB a row for the row checks' Python values). 150 MB leaves room for allocators, not for a second copy.
    outcome, landed, grown, _size = _measure(tmp_path, "903", 50_000)
    assert (outcome, landed) == ("landed", 50_000)
    assert grown < 150, f"peak memory grew by {grown} MB"


@pytest.mark.slow
def test_a_cin_file_is_streamed_one_child_tree_at_a_time(tmp_path: Path) -> None:
    # 20 000 children of two records each (the builder's child has one referral: child + episode). Measured: 62 MB
    # for this 8 MB file (34 MB at 5 000 children): the flattened records, never the whole tree.
    outcome, landed, grown, _size = _measure(tmp_path, "cin", 20_000)
    assert (outcome, landed) == ("landed", 40_000)
    assert grown < 150, f"peak memory grew by {grown} MB"
