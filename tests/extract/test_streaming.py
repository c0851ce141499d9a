"""A large CSV is landed batch by batch (`extract.csv_stream`, `extract.streamed_check`) with exactly the outcome,
findings and rows of the whole-file read, in memory bounded by the batch, and a rejected one lands nothing.

The differential tests force streaming on small files (every file streamed, 16 records a batch) and compare every
output with the whole-file landing of the same delivery; the rows that need the rules across rows are placed in
different batches from the rows they repeat. `CSC_TEST_STREAM_ROWS=N` runs the whole extract suite streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from extract import csv_stream, extract_file, streamed_check
from tests.extract.builders import EPISODE_COLUMNS, deliver, good_episode
from tests.extract.family_builders import deliver_to
from tests.memory_probe import LAND_FILE, growth_mb

PERSON_COLUMNS = (
    "pers_person_id,pers_sex,pers_gender,pers_ethnicity,pers_dob,pers_expected_dob,pers_death_date,"
    "pers_upn_unknown,pers_is_mother,pers_nationality,pers_send_flag"
)


def _person(index: int, nationality: str = "British", is_mother: str = "N") -> str:
    return f"P{index:05d},F,,WBRI,2015-05-0{1 + index % 9},,,,{is_mother},{nationality},N"


def _person_csv(quote: bool) -> str:
    """250 good rows (records 2-251) and, after them, rows that repeat or conflict with rows of earlier batches.
    Rejected: record 252 (bad date, R01), 253 (ragged, R01), 256 and 4 (key P00002 with different values, R03):
    4 of 257 data rows, 1.6 %, so the file lands (F07 is over 2 %)."""
    rows = [_person(index) for index in range(250)]
    if quote:
        rows[100] = rows[100].replace("British", '"British"')  # a quote: the file is read by `csv`, not pyarrow
    rows += [
        "P90000,F,,WBRI,2015-13-01,,,,N,British,N",  # 252: R01, not a real date
        "P90001,F,,WBRI",  # 253: ragged, R01 (on the plain read, pyarrow refuses it: the file goes on with `csv`)
        _person(1),  # 254: exact duplicate of record 3 (batch 1): W01
        f"  {_person(7)}  ",  # 255: the same once trimmed as record 9: W01
        _person(2, nationality="Irish"),  # 256: key P00002 of record 4 with other values: R03 on both
        _person(30, is_mother="no"),  # 257: record 32 once parsed ("no" = "N"): W01
        "P90002,F,NULL,WBRI,2015-05-01,,,,N,British,N",  # 258: W03 null literal, kept
    ]
    return "\n".join([PERSON_COLUMNS + ",shoe_size", *(row + ",7" if row.count(",") == 10 else row for row in rows)])


def _episodes_csv() -> str:
    """200 good episodes (records 2-201), then rows repeating earlier batches: 202 exact duplicate of record 3
    (W01), 203 equal to record 5 once upper-cased (W01), 204 key (C006, DECOM) of record 7 with another LS (R03 on
    both): 2 rejected of 203, under 2 %."""
    rows = [good_episode(index) for index in range(1, 201)]
    rows += [
        good_episode(2),
        good_episode(4).replace(",S,C2,", ",s,C2,"),
        good_episode(6).replace(",S,C2,", ",S,C1,"),
    ]
    return "\n".join([EPISODE_COLUMNS, *rows]) + "\n"


def _land(root: Path, inbound: Path) -> list:
    return [
        extract_file(path, inbound_dir=inbound, landing_dir=root / "landing", archive_dir=root / "archive").to_dict()
        for path in sorted(inbound.rglob("*.csv"))
    ]


def _files(root: Path) -> dict[str, Path]:
    return {str(path.relative_to(root)): path for path in sorted(root.rglob("*")) if path.is_file()}


def _assert_same_landing(whole: Path, streamed: Path) -> None:
    """Every output of the two landings is the same: bytes, except the landed tables, which hold the same rows in
    the same order (a streamed table is written a row group per batch)."""
    whole_files, streamed_files = _files(whole), _files(streamed)
    assert sorted(whole_files) == sorted(streamed_files)
    for name, path in whole_files.items():
        if name.startswith(("landing/ssd/", "landing/ssda903/")):
            expected, actual = pq.read_table(path), pq.read_table(streamed_files[name])
            assert actual.schema == expected.schema and actual.equals(expected), name
            assert pq.ParquetFile(streamed_files[name]).num_row_groups > 1, name  # it was landed batch by batch
        else:
            assert path.read_bytes() == streamed_files[name].read_bytes(), name


@contextmanager
def _streamed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every CSV streamed, 16 records a batch; the list gets the number of suspects each file settled together."""
    calls: list[int] = []
    original = streamed_check._settle

    def spy(result: object, settled: object, shared: np.ndarray, *rest: object) -> None:
        calls.append(len(shared))
        original(result, settled, shared, *rest)

    with monkeypatch.context() as patch:
        patch.setattr(streamed_check, "_settle", spy)
        patch.setattr(csv_stream, "STREAM_BYTES", -1)
        patch.setattr(csv_stream, "BATCH_ROWS", 16)
        yield calls


@pytest.mark.parametrize("quote", [False, True], ids=["pyarrow", "csv"])
def test_a_streamed_family_csv_lands_what_the_whole_file_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quote: bool
) -> None:
    inbound = tmp_path / "inbound"
    deliver_to(inbound, "ssd", "ssd_person.csv", _person_csv(quote))
    whole = _land(tmp_path / "whole", inbound)
    with _streamed(monkeypatch) as calls:
        streamed = _land(tmp_path / "streamed", inbound)
    assert streamed == whole
    [outcome] = whole
    # 257 data rows: 4 rejected (252, 253, 4, 256) and 3 dropped (254, 255, 257) -> 250 landed.
    counts = (outcome["outcome"], outcome["rows_read"], outcome["rows_landed"], outcome["rows_quarantined"])
    assert counts == ("landed", 257, 250, 7)
    # Settled together, each pair sharing a key: records 3/254 and 9/255 (also the same texts), 4/256, 32/257.
    assert calls == [8]
    _assert_same_landing(tmp_path / "whole", tmp_path / "streamed")


def test_a_streamed_903_csv_lands_what_the_whole_file_lands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, "episodes.csv", _episodes_csv())
    whole = _land(tmp_path / "whole", inbound)
    with _streamed(monkeypatch) as calls:
        streamed = _land(tmp_path / "streamed", inbound)
    assert streamed == whole
    [outcome] = whole
    # 203 data rows: R03 on records 7 and 204, W01 on 202 and 203 -> 199 landed, 4 quarantined.
    counts = (outcome["outcome"], outcome["rows_read"], outcome["rows_landed"], outcome["rows_quarantined"])
    assert counts == ("landed", 203, 199, 4)
    assert calls == [6]  # records 3/202, 5/203, 7/204: CHILD is the key text
    _assert_same_landing(tmp_path / "whole", tmp_path / "streamed")


def test_a_streamed_file_over_the_rejection_limit_lands_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F07 is known only after the last batch: the rows staged by then are deleted, and no table folder is made."""
    inbound = tmp_path / "inbound"
    rows = [good_episode(index) for index in range(1, 60)] + [
        good_episode(index, "31/02/2025") for index in range(60, 63)
    ]
    deliver(inbound, "episodes.csv", "\n".join([EPISODE_COLUMNS, *rows]) + "\n")
    whole = _land(tmp_path / "whole", inbound)
    with _streamed(monkeypatch):
        streamed = _land(tmp_path / "streamed", inbound)
    assert streamed == whole
    # 3 of 62 rows rejected (4.8 %, over 2 %).
    assert [(item["outcome"], item["rows_landed"], item["rows_quarantined"]) for item in whole] == [("rejected", 0, 3)]
    assert not (tmp_path / "streamed" / "landing" / "ssda903").exists()
    assert not list((tmp_path / "streamed" / "landing" / "_staging").iterdir())
    _assert_same_landing(tmp_path / "whole", tmp_path / "streamed")


ROWS = 300_000
GROWTH_LIMIT_MB = 200


@pytest.mark.slow
def test_landing_a_large_csv_takes_memory_bounded_by_a_batch_not_by_the_file(tmp_path: Path) -> None:
    """300,000 rows (14 MB) of ssd_person with a quoted field, so Python's `csv` reads it (the reader that held the
    most per row), landed in a fresh process that reports its own peak resident memory (`VmHWM`, KB) before
    and after `extract_file`. Measured (docs/benchmarks.md, "Memory"): the whole-file read grew by 322 MB (~1.05 KB
    a row), the streamed read by 84 MB (a batch of 20,000 rows, plus 16 bytes a row: its number and key hash). The
    limit, 200 MB, sits between the two with a margin either side (the file is 14 MB, over the 8 MB streaming size)."""
    folder = tmp_path / "inbound" / "E06000039" / "2025-10" / "ssd"
    folder.mkdir(parents=True)
    path = folder / "ssd_person.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(PERSON_COLUMNS + "\n")
        for index in range(ROWS):
            out.write(f'P{index:09d},{"MF"[index % 2]},,WBRI,2010-0{1 + index % 9}-1{index % 10},,,,N,"British",N\n')
    assert path.stat().st_size > csv_stream.STREAM_BYTES
    (outcome, landed), growth = growth_mb(LAND_FILE, str(tmp_path), str(path))
    assert (outcome, int(landed)) == ("landed", ROWS)
    assert growth < GROWTH_LIMIT_MB, f"landing grew the process by {growth:.0f} MB"


def test_a_field_over_the_csv_limit_found_while_streaming_is_quarantined_as_the_whole_file_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field longer than Python's `csv` allows is R01 on its row (contract §0.5); a plain streamed file finds it
    only in the batch that holds it, then reads the file whole, so the outcome and the landing are the same."""
    inbound = tmp_path / "inbound"
    rows = [_person(index) for index in range(100)]
    rows[35] = rows[35].replace("British", "B" * 200_000)  # over the default limit, 131,072
    deliver_to(inbound, "ssd", "ssd_person.csv", "\n".join([PERSON_COLUMNS, *rows]) + "\n")
    whole = _land(tmp_path / "whole", inbound)
    with _streamed(monkeypatch):
        streamed = _land(tmp_path / "streamed", inbound)
    assert streamed == whole
    [outcome] = whole
    # 100 data rows, the 36th (line 37) quarantined: 1 % is under the 2 % that would reject the file (F07).
    counts = (outcome["outcome"], outcome["rows_read"], outcome["rows_landed"], outcome["rows_quarantined"])
    assert counts == ("landed", 100, 99, 1)
    assert not list((tmp_path / "streamed" / "landing" / "_staging").iterdir())
    _assert_same_landing(tmp_path / "whole", tmp_path / "streamed")
