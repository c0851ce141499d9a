"""Kill the pipeline with SIGKILL at every step boundary and inside every step, re-run it, and find exactly what an
undisturbed run leaves (issue 10 item 1; docs/operations.md, "A run killed half-way").

The runs are the real command line in a subprocess over a small generated organisation. The kill comes from
`pipeline/crashpoints.py` (`CSC_CRASH_AT=<point>[:<n>]`, inert unless set), or from outside for the dbt build (the
test kills the command line once dbt has written part of the candidate warehouse). One undisturbed baseline is
shared: extraction crashes start from the delivered files, publication crashes from the built warehouse, and one
chained test kills `run` at the boundary before the build and inside dbt before re-running it (a kill right after
the warehouse swap is tests/pipeline/test_build_record.py: each full dbt build here costs minutes). Landing,
archive, published files and reports are compared byte for byte; warehouses by content
(`crash_support.warehouse_content`: DuckDB files are not byte-reproducible); at every kill and while publication
runs, every release a reader can reach must be whole (`crash_support.published_problems`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from pipeline.lock import WarehouseBusyError, writer_lock
from pipeline.settings import REPO_ROOT
from synth import generate_organisation
from tests.e2e.crash_support import (
    ANALYST_COPY_STEP,
    AS_OF,
    LA_CODE,
    MONTH,
    assert_killed,
    assert_ok,
    command,
    duplicate_loads,
    extraction_state,
    hidden_entries,
    publication_state,
    published_problems,
    run,
    run_env,
    warehouse_content,
)

pytestmark = [pytest.mark.slow, pytest.mark.dbt, pytest.mark.xdist_group("e2e_crash")]

# ---------------------------------------------------------------------------------------------- the baseline


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deliveries only: a small organisation (0.3 of the default size), two months and two history years."""
    data = tmp_path_factory.mktemp("crash-delivered") / "data"
    generate_organisation(
        data / "inbound", LA_CODE, date.fromisoformat(AS_OF), seed=7, months=2, history_years=2, size=0.3
    )
    return data


@pytest.fixture(scope="module")
def extracted(delivered: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An undisturbed `extract` of the deliveries."""
    data = _copy(delivered, tmp_path_factory.mktemp("crash-extracted"))
    assert_ok(run(data, command("extract")))
    return data


@pytest.fixture(scope="module")
def published(extracted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Undisturbed `build` and `publish` after that extraction: the state every re-run must reach."""
    data = _copy(extracted, tmp_path_factory.mktemp("crash-published"))
    assert_ok(run(data, command("build")))
    assert_ok(run(data, command("publish")))
    assert published_problems(data / "published") == []
    return data


def _copy(data: Path, parent: Path, without: tuple[str, ...] = ()) -> Path:
    """A private copy of a data folder (symlinks kept), leaving out the named top-level entries."""
    copy = parent / "data"
    shutil.copytree(
        data,
        copy,
        symlinks=True,
        ignore=lambda folder, names: [n for n in names if Path(folder) == data and n in without],
    )
    return copy


# ---------------------------------------------------------------------------------------------- extraction

# 150 files; each landed file is three renames (archive, landed Parquet, ledger row: warnings and quarantine
# files come between the last two when a file has any), so landing.rename:1-3 are the first file's.
EXTRACTION_CRASHES = [
    pytest.param("landing.rename:1", id="first-archive-written-not-renamed"),
    pytest.param("landing.rename:2", id="first-parquet-written-not-renamed"),
    pytest.param("landing.rename:3", id="first-ledger-row-written-not-renamed"),
    pytest.param("extract.file:1", id="after-the-first-file"),
    pytest.param("landing.rename:200", id="a-write-in-the-middle"),
    pytest.param("extract.file:75", id="after-half-the-files"),
    pytest.param("extract.deliveries", id="before-the-delivery-pass"),
    pytest.param("extract.delivery:1", id="inside-the-delivery-pass"),
]


@pytest.mark.parametrize("crash_at", EXTRACTION_CRASHES)
def test_extraction_killed_then_rerun_lands_what_an_undisturbed_run_lands(
    crash_at: str, delivered: Path, extracted: Path, tmp_path: Path
) -> None:
    data = _copy(delivered, tmp_path)
    assert_killed(run(data, command("extract"), crash_at))
    assert not (data / "warehouse.duckdb").exists() and not (data / "published").exists()

    assert_ok(run(data, command("extract")))
    # Byte for byte, temporary files included: a `.tmp` a killed write left is overwritten by the re-run's.
    assert extraction_state(data) == extraction_state(extracted)
    assert duplicate_loads(data / "landing") == []


# ---------------------------------------------------------------------------------------------- publication

PUBLICATION_CRASHES = [
    pytest.param("publish.exported", id="candidate-exported"),
    pytest.param("publish.audited", id="checkpoint-passed-and-reported"),
    pytest.param("publish.outputs", id="parquet-csv-xlsx-written"),
    pytest.param("release.copying:3", id="third-file-half-copied-into-staging"),
    pytest.param("release.staged", id="release-staged-not-renamed"),
    pytest.param("release.renamed", id="release-in-place-symlink-not-swapped"),
    pytest.param("release.link:1", id="month-link-made-not-renamed"),
    pytest.param("release.swapped", id="month-swapped-latest-not"),
    pytest.param("release.link:2", id="latest-link-made-not-renamed"),
]


class PublicationWatcher:
    """Looks at the publication over and over while runs write it, as a reader would: every release reachable by a
    public name must be whole at every look."""

    def __init__(self, publish_dir: Path) -> None:
        self.publish_dir = publish_dir
        self.problems: list[str] = []
        self.looks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> PublicationWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            self.problems += published_problems(self.publish_dir)
            self.looks += 1


@pytest.fixture
def built(published: Path, tmp_path: Path) -> Path:
    """The baseline after its build, before anything was published."""
    data = _copy(published, tmp_path, without=("published", "reports"))
    shutil.rmtree(data / "work" / "publication_candidates")
    return data


@pytest.mark.parametrize("crash_at", PUBLICATION_CRASHES)
def test_publication_killed_then_rerun_publishes_what_an_undisturbed_run_publishes(
    crash_at: str, built: Path, published: Path
) -> None:
    with PublicationWatcher(built / "published") as watcher:
        assert_killed(run(built, command("publish"), crash_at))
        # The month is not published, or published whole; never a part of a file at a public path.
        assert published_problems(built / "published") == []
        assert_ok(run(built, command("publish")))
    assert watcher.problems == [] and watcher.looks > 0
    assert publication_state(built) == publication_state(published)
    assert hidden_entries(built / "published") == []  # no staging folder or swap link left behind


def test_the_analysts_copy_killed_before_its_swap_is_kept_whole_and_redone(published: Path, tmp_path: Path) -> None:
    data = _copy(published, tmp_path)
    copy = data / "analyst" / "warehouse.duckdb"
    step = [sys.executable, "-c", ANALYST_COPY_STEP, AS_OF]
    assert_killed(run(data, step, "analyst.staged"))
    assert [name for name in hidden_entries(data / "analyst") if name.startswith(".warehouse.duckdb.")]  # the debris
    assert warehouse_content(copy) == warehouse_content(published / "analyst" / "warehouse.duckdb")  # old copy whole

    assert_ok(run(data, step))
    assert hidden_entries(data / "analyst") == []
    assert warehouse_content(copy) == warehouse_content(published / "analyst" / "warehouse.duckdb")


# ---------------------------------------------------------------------------------------------- the whole run

_DBT_NODE_DONE = re.compile(r"\d+ of \d+ (OK|PASS)")


def _kill_inside_dbt(data: Path, nodes: int = 100) -> list[int]:
    """Start `run` and SIGKILL it (the command line, not dbt) once dbt has built or tested `nodes` nodes into the
    candidate warehouse: what a lost worker or the OOM killer does in the middle of the build. Returns the pids of
    the dbt processes that were running then."""
    log = data / "work" / "dbt_target" / "logs" / "dbt.log"
    candidate = data / "work" / "candidate" / "warehouse.duckdb"
    process = subprocess.Popen(
        command("run"), env=run_env(data), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 1800
    while not (
        candidate.exists() and log.exists() and len(_DBT_NODE_DONE.findall(log.read_text("utf-8", "replace"))) >= nodes
    ):
        assert process.poll() is None, "the run ended before dbt got going"
        assert time.monotonic() < deadline, "dbt never got going"
        time.sleep(0.2)
    dbt = _dbt_processes_of(data)
    assert dbt, "no dbt process found while it builds"
    process.kill()
    assert process.wait(timeout=60) == -9
    return dbt


def _dbt_processes_of(data: Path) -> list[int]:
    """Live processes whose command line names this data folder's dbt target (the dbt a run started)."""
    marker = str(data / "work" / "dbt_target").encode()
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:  # a process that ended while we looked
            continue
    return found


def _running(pid: int) -> bool:
    """Whether `pid` still runs. A zombie (dead, its descriptors closed, waiting to be reaped) does not. A process
    being killed frees its memory (its command line then reads empty) before it closes its descriptors, so it is
    followed by pid, not found again by command line."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def _lock_freed(work_dir: Path, deadline: float) -> bool:
    """Whether the writer lock can be taken before `deadline` (time.monotonic())."""
    while True:
        try:
            with writer_lock(work_dir):
                return True
        except WarehouseBusyError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)


def test_run_killed_at_boundaries_and_inside_the_build_recovers_on_rerun(
    delivered: Path, published: Path, tmp_path: Path
) -> None:
    data = _copy(delivered, tmp_path)
    warehouse = data / "warehouse.duckdb"

    # 1. Between extraction and the build: everything landed, nothing built.
    assert_killed(run(data, command("run"), "run.extracted"))
    assert extraction_state(data) == extraction_state(published)
    assert not warehouse.exists()

    # 2. Inside dbt. dbt dies with the command line (the kernel kills it: PR_SET_PDEATHSIG) and the lock is free.
    dbt = _kill_inside_dbt(data)
    deadline = time.monotonic() + 30  # SIGKILL is immediate, but a dying process may take a moment to release
    while any(_running(pid) for pid in dbt):
        assert time.monotonic() < deadline, f"dbt outlived the killed run: {[p for p in dbt if _running(p)]}"
        time.sleep(0.2)
    # dbt held the lock while it lived; once every process of the killed run is gone the kernel frees it (the
    # last descriptor may close a moment after the process stops running), with nobody releasing it by hand.
    assert _lock_freed(data / "work", time.monotonic() + 30), "the killed run's writer lock was never freed"
    assert not warehouse.exists() and not (data / "published").exists()

    # 3. The re-run: exactly the undisturbed run's landing, warehouse, analysts' copy, publication and reports.
    assert_ok(run(data, command("run")))
    assert extraction_state(data) == extraction_state(published)
    assert duplicate_loads(data / "landing") == []
    assert warehouse_content(warehouse) == warehouse_content(published / "warehouse.duckdb")
    assert warehouse_content(data / "analyst" / "warehouse.duckdb") == warehouse_content(
        published / "analyst" / "warehouse.duckdb"
    )
    assert publication_state(data) == publication_state(published)
    assert published_problems(data / "published") == []
    assert hidden_entries(data / "published") == [] and hidden_entries(data / "analyst") == []
    assert sorted(p.name for p in (data / "work" / "candidate").iterdir()) == []
    assert (data / "published" / LA_CODE / MONTH).is_symlink()
