"""Two writers never run at once: the second is refused at once with a message naming the holder."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from pipeline.lock import WarehouseBusyError, writer_lock


def _try_lock(work_dir: str, queue: multiprocessing.Queue) -> None:
    try:
        with writer_lock(Path(work_dir)):
            queue.put("acquired")
    except WarehouseBusyError as error:
        queue.put(str(error))


def test_second_process_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    queue: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    with writer_lock(tmp_path):
        process = multiprocessing.get_context("fork").Process(target=_try_lock, args=(str(tmp_path), queue))
        process.start()
        process.join(timeout=30)
        message = queue.get(timeout=5)
    assert message.startswith("another run is writing the warehouse")
    assert "held by pid" in message


def test_lock_is_released_after_the_block(tmp_path: Path) -> None:
    with writer_lock(tmp_path):
        pass
    with writer_lock(tmp_path):
        pass


def test_lock_is_released_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), writer_lock(tmp_path):
        raise RuntimeError("boom")
    with writer_lock(tmp_path):
        pass
