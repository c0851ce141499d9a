"""Two runs started at once never both write (docs/operations.md, "Two runs at once").

The command line holds the writer lock exclusively for a whole command; extraction tasks (Airflow's mapped tasks)
hold it shared. The Airflow side (max_active_runs=1, the one-slot writer pool) is pinned in
tests/dags/test_dag_integrity.py.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from pipeline.lock import WarehouseBusyError, writer_lock
from pipeline.settings import REPO_ROOT
from tests.extract.builders import episodes_csv

AS_OF = "2025-10-31"
FORK = multiprocessing.get_context("fork")


def _try_lock(work_dir: str, shared: bool, queue: multiprocessing.Queue) -> None:
    try:
        with writer_lock(Path(work_dir), shared=shared):
            queue.put("acquired")
    except WarehouseBusyError as error:
        queue.put(str(error))


def _in_child(work_dir: Path, shared: bool) -> str:
    """What another process gets when it asks for the lock now."""
    queue: multiprocessing.Queue = FORK.Queue()
    process = FORK.Process(target=_try_lock, args=(str(work_dir), shared, queue))
    process.start()
    process.join(timeout=30)
    return queue.get(timeout=5)


def test_an_extraction_task_is_refused_while_a_command_line_run_holds_the_lock(tmp_path: Path) -> None:
    with writer_lock(tmp_path, holder="csc-warehouse run --as-of 2025-10-31"):
        message = _in_child(tmp_path, shared=True)
    assert message == (
        f"another run is writing the warehouse (lock {tmp_path.resolve() / 'warehouse.lock'}, held by pid "
        f"{os.getpid()} (csc-warehouse run --as-of 2025-10-31)); wait for it to finish and try again"
    )


def test_extraction_tasks_share_the_lock_and_keep_a_command_line_run_out(tmp_path: Path) -> None:
    with writer_lock(tmp_path, shared=True):
        assert _in_child(tmp_path, shared=True) == "acquired"  # two extraction tasks at once
        refused = _in_child(tmp_path, shared=False)
    assert "held by extraction tasks (shared)" in refused
    assert _in_child(tmp_path, shared=False) == "acquired"  # released with the block


def test_the_lock_is_reentrant_in_its_process_but_not_inherited_by_a_forked_child(tmp_path: Path) -> None:
    with writer_lock(tmp_path, holder="outer"):
        with writer_lock(tmp_path, shared=True), writer_lock(tmp_path):  # the steps of a command pass through
            pass
        assert "held by pid" in _in_child(tmp_path, shared=False)  # still held after the inner blocks
        assert (tmp_path / "warehouse.lock").read_text() == f"pid {os.getpid()} (outer)\n"
    assert (tmp_path / "warehouse.lock").read_text() == ""  # no stale name once released


def _deliver(data_dir: Path) -> None:
    folder = data_dir / "inbound" / "E06000039" / "2025-10" / "903"
    folder.mkdir(parents=True)
    (folder / "episodes.csv").write_text(episodes_csv())


# A first run whose extraction waits at a barrier (files in the data folder) while holding the lock.
_FIRST_RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipeline import cli, steps

    data = Path(sys.argv[1])
    extract_all_files = steps.extract_all_files

    def held_open(settings, as_of):
        (data / "first-started").touch()
        while not (data / "go").exists():
            time.sleep(0.05)
        return extract_all_files(settings, as_of)

    steps.extract_all_files = held_open
    sys.exit(cli.main(["extract", "--as-of", sys.argv[2]]))
    """
)


def test_a_second_command_line_run_is_refused_naming_the_first_and_writes_nothing(data_dir: Path) -> None:
    _deliver(data_dir)
    env = {**os.environ, "CSC_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)}
    first = subprocess.Popen(
        [sys.executable, "-c", _FIRST_RUN, str(data_dir), AS_OF],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (data_dir / "first-started").exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run never started"
            time.sleep(0.05)
        second = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--as-of", AS_OF],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert not (data_dir / "landing").exists()  # neither run has written yet: the second wrote nothing
    finally:
        (data_dir / "go").touch()
        out, err = first.communicate(timeout=60)
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"csc-warehouse run: FAILED: another run is writing the warehouse (lock "
        f"{(data_dir / 'work' / 'warehouse.lock').resolve()}, held by pid {first.pid} "
        f"(csc-warehouse extract --as-of {AS_OF})); wait for it to finish and try again"
    )
    # The first run wrote its landing as if alone (it then stops at the mandatory-input check: this delivery has
    # only Episodes, which is not what is tested here).
    assert "another run" not in err and "mandatory input missing" in err
    assert "landed  E06000039/2025-10/903/episodes.csv  rows read 49, landed 49" in out


def test_two_runs_started_together_never_both_write(data_dir: Path) -> None:
    """Started in the same instant, without a barrier: whichever order the lock gives them, either the second is
    refused, or it runs after the first and finds the file already landed (`unchanged`): one load, one ledger row."""
    _deliver(data_dir)
    env = {**os.environ, "CSC_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "pipeline", "extract", "--as-of", AS_OF]
    runs = [
        subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ]
    runs.append(
        subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    )
    results = [run.communicate(timeout=120) for run in runs]
    refused = [err for _out, err in results if "another run is writing the warehouse" in err]
    outcomes = sorted(line.split()[0] for out, _err in results for line in out.splitlines() if "episodes.csv" in line)
    assert len(refused) <= 1
    assert outcomes == (["landed"] if refused else ["landed", "unchanged"])
    assert [path.name for path in (data_dir / "landing" / "_ledger").iterdir()] == [
        path.name for path in (data_dir / "landing" / "ssda903" / "episodes" / "la_code=E06000039").iterdir()
    ]


# A command-line run holding the lock exclusively until it is killed.
_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipeline.lock import writer_lock

    with writer_lock(Path(sys.argv[1]), holder="csc-warehouse run --as-of 2025-10-31"):
        print("holding", flush=True)
        time.sleep(120)
    """
)


def test_a_run_killed_with_sigkill_leaves_no_stale_lock_and_no_stale_name(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "holding\n"
    assert f"held by pid {holder.pid}" in _in_child(tmp_path, shared=False)
    holder.kill()
    assert holder.wait(timeout=30) == -9
    # The kernel released the flock with the process; only its name is left in the file.
    assert (tmp_path / "warehouse.lock").read_text() == f"pid {holder.pid} (csc-warehouse run --as-of 2025-10-31)\n"
    with writer_lock(tmp_path, shared=True):  # an extraction task gets in at once...
        refused = _in_child(tmp_path, shared=False)
    # ...and a run it keeps out is told the truth, not the dead run's name.
    assert "held by extraction tasks (shared)" in refused and str(holder.pid) not in refused
    assert _in_child(tmp_path, shared=False) == "acquired"
