"""Wall time, CPU time and peak memory of named stages, child processes (dbt runs as a subprocess) included.

CPU seconds come from os.times() (this process plus its waited-for children), which is what a busy machine inflates
least. Peak memory is sampled: a thread sums the resident set of this process and every live descendant every
`interval` seconds and charges the sample to the innermost open stage (resource.ru_maxrss cannot be reset between
stages and reports only the largest single child). Stages nest: time spent in an inner stage is not charged to the
outer one, so the stages add up to the run.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psutil


@dataclass
class StageFigures:
    """What one stage cost, summed over every time it was entered."""

    name: str
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mib: float = 0.0
    rows_in: int = 0
    rows_out: int = 0
    entries: int = 0

    @property
    def rows_per_s(self) -> float:
        return self.rows_in / self.wall_s if self.wall_s > 0 else 0.0


def _cpu_now() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _tree_rss_bytes(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue  # a child that ended between listing and reading
    return total


@dataclass
class StageMeter:
    interval: float = 0.05
    stages: dict[str, StageFigures] = field(default_factory=dict)
    _stack: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def figures(self, name: str) -> StageFigures:
        return self.stages.setdefault(name, StageFigures(name))

    @contextmanager
    def stage(self, name: str) -> Iterator[StageFigures]:
        """Measure the block as stage `name`; an enclosing stage is paused meanwhile."""
        figures = self.figures(name)
        figures.entries += 1
        outer = self.stages[self._stack[-1]] if self._stack else None
        with self._lock:
            self._stack.append(name)
        self.sample()  # a stage shorter than the interval still gets a figure
        started, cpu_started = time.perf_counter(), _cpu_now()
        try:
            yield figures
        finally:
            wall, cpu = time.perf_counter() - started, _cpu_now() - cpu_started
            self.sample()
            with self._lock:
                self._stack.pop()
            figures.wall_s += wall
            figures.cpu_s += cpu
            if outer is not None:  # the outer stage's clock was running too: take this block out of it
                outer.wall_s -= wall
                outer.cpu_s -= cpu

    def sample(self) -> None:
        """Charge the process tree's resident memory now to the innermost open stage."""
        rss_mib = _tree_rss_bytes(psutil.Process()) / 2**20
        with self._lock:
            current = self._stack[-1] if self._stack else None
            if current is not None:
                figures = self.stages[current]
                figures.peak_rss_mib = max(figures.peak_rss_mib, rss_mib)

    @contextmanager
    def sampling(self) -> Iterator[None]:
        """Run the memory sampler for the duration of the block."""
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                self.sample()
                stop.wait(self.interval)

        thread = threading.Thread(target=sample, name="rss-sampler", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
