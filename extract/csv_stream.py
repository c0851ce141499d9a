"""Read a large delivered CSV in batches, so that landing it takes memory bounded by a batch, not by the file.

`scan_file` reads the bytes once (sha256, size, and what `csv_reader` needs to know about them: UTF-8, quotes, NUL,
bare CR, blank lines, the longest line). `open_streamed` then gives a `StreamedCsv`: the header, the number of data
records and `batches()` of `BATCH_ROWS` records as `ParsedCsv` (with their own record numbers), read again from the
file each time they are asked for. A plain file (no quote, NUL, bare CR or blank line) is read by `pyarrow.csv`'s
streaming reader, any other by Python's `csv` module; the records, and their
numbers, are the same either way (`extract.csv_reader`), so a ragged plain file simply restarts on `csv`.

Anything `csv_reader.parse_csv` would reject (not UTF-8, not well-formed, no header) makes `open_streamed` answer
None: the caller reads the file whole, so the rejection is worded exactly as before (a rejected file lands nothing,
so holding it once costs no more than today). `extract.streamed_check` runs a reader's checks over the batches.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from extract.columnar import strip
from extract.csv_reader import _BOM, FileRejected, ParsedCsv, _header, parse_csv

STREAM_BYTES = 8 << 20  # a CSV larger than this is landed in batches; smaller ones are read whole, as before
BATCH_ROWS = 20_000  # records per batch: ~1 KB of working memory each while a batch is checked
_CHUNK = 1 << 20  # bytes per read of the scan
_ARROW_BLOCK = 4 << 20  # bytes per block of pyarrow's streaming reader


class NotStreamable(Exception):
    """Found while streaming: the file is one `parse_csv` rejects, so it is read whole to word the rejection."""


@dataclass
class FileScan:
    """What one read of the bytes found."""

    sha256: str
    size: int
    head: bytes  # the first 64 KB (the header, for the prohibited-column test)
    utf8: bool
    plain: bool  # no quote, NUL, bare CR or blank line: pyarrow reads it
    lines: int  # physical lines, the last one counted even without its line break


def scan_file(path: Path) -> FileScan:
    """One pass over the bytes: the checksum and the facts `open_streamed` decides on."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = newlines = carriage = crlf = 0
    utf8, quote_or_nul, blank = True, False, False
    head = b""
    previous = b""  # the last two bytes of the previous chunk: a "\r\n" or blank line split across two reads
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            if len(head) < 1 << 16:
                head += chunk[: (1 << 16) - len(head)]
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            quote_or_nul = quote_or_nul or b'"' in chunk or b"\x00" in chunk
            joined = previous + chunk
            blank = blank or b"\n\n" in joined or b"\n\r\n" in joined
            newlines += chunk.count(b"\n")
            carriage += chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (previous.endswith(b"\r") and chunk.startswith(b"\n"))
            previous = joined[-2:]
            size += len(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    body = head.removeprefix(_BOM)
    starts_blank = body.startswith((b"\n", b"\r"))
    plain = utf8 and not (quote_or_nul or blank or starts_blank or carriage != crlf)
    lines = newlines + (size > 0 and not previous.endswith(b"\n"))
    return FileScan(digest.hexdigest(), size, head, utf8, plain, lines)


@dataclass
class StreamedCsv:
    """A CSV read batch by batch from `path`: its header (as `ParsedCsv.header`) and number of data records."""

    path: Path
    header: list[str]
    row_count: int
    width: int
    arrow: bool  # pyarrow's streaming reader, else Python's `csv`
    batch_rows: int = BATCH_ROWS
    _names: list[str] = field(default_factory=list)

    def batches(self, skip: np.ndarray | None = None) -> Iterator[ParsedCsv]:
        """The data records in order, `batch_rows` at a time, leaving out the record numbers in `skip` (sorted)."""
        for batch in self._arrow_batches() if self.arrow else self._csv_batches():
            if skip is not None and len(skip):
                batch = _without(batch, skip)
                if batch.row_count == 0:
                    continue
            yield batch

    def select(self, numbers: np.ndarray) -> ParsedCsv:
        """The records with the given numbers (sorted), as one `ParsedCsv` of records."""
        records: list[tuple[int, list[str]]] = []
        for batch in self.batches():
            if batch.columns is not None:
                wanted = np.flatnonzero(np.isin(batch.numbers(), numbers))
                if len(wanted):
                    records.extend(_take(batch, wanted).records)
            else:
                records.extend(record for record in batch.records if _member(numbers, record[0]))
        return ParsedCsv(self.header, records)

    def whole(self) -> ParsedCsv:
        """The file read whole, as `csv_reader.parse_csv` reads it (the fallback of the rules that need every row)."""
        return parse_csv(self.path.read_bytes())

    def _csv_batches(self) -> Iterator[ParsedCsv]:
        with self.path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text, strict=True)
            records: list[tuple[int, list[str]]] = []
            try:
                for number, fields in enumerate(reader, start=1):
                    if fields and number > 1:
                        records.append((number, fields))
                        if len(records) == self.batch_rows:
                            yield ParsedCsv(self.header, records)
                            records = []
            except csv.Error as error:  # only after a ragged plain file moved here: `open_streamed` read the others
                raise NotStreamable(str(error)) from None
            if records:
                yield ParsedCsv(self.header, records)

    def _arrow_batches(self) -> Iterator[ParsedCsv]:
        """Batches of pyarrow's streaming read; a ragged record (which Arrow refuses) switches the file to `csv`
        for good, going on after the records already given."""
        given = 1  # the last record number handed out
        try:
            for batch in self._arrow_reads():
                given = int(batch.numbers()[-1])
                yield batch
        except pa.ArrowInvalid:
            self.arrow = False
            for batch in self._csv_batches():
                if batch.records[-1][0] > given:
                    yield ParsedCsv(self.header, [record for record in batch.records if record[0] > given])

    def _arrow_reads(self) -> Iterator[ParsedCsv]:
        with self.path.open("rb") as file:
            if file.read(len(_BOM)) != _BOM:
                file.seek(0)
            reader = pa_csv.open_csv(
                file,
                read_options=pa_csv.ReadOptions(
                    column_names=self._names, skip_rows=1, use_threads=False, block_size=_ARROW_BLOCK
                ),
                parse_options=pa_csv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=True),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(self._names, pa.string()),
                    null_values=[],
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            pending: list[pa.RecordBatch] = []
            held = 0
            first = 2
            for record_batch in reader:
                pending.append(record_batch)
                held += record_batch.num_rows
                while held >= self.batch_rows:
                    table = pa.Table.from_batches(pending)
                    yield self._parsed(table.slice(0, self.batch_rows), first)
                    first += self.batch_rows
                    rest = table.slice(self.batch_rows)
                    pending, held = rest.to_batches(), rest.num_rows
            if held:
                yield self._parsed(pa.Table.from_batches(pending), first)

    def _parsed(self, table: pa.Table, first: int) -> ParsedCsv:
        columns = [table.column(name).combine_chunks() for name in self._names]
        limit = csv.field_size_limit()
        if any(len(column) and pc.max(pc.binary_length(column)).as_py() > limit for column in columns):
            raise NotStreamable("a field over the csv field size limit")  # `parse_csv` rejects the file (F01)
        numbers = np.arange(first, first + table.num_rows, dtype=np.int64)
        return ParsedCsv(self.header, columns=columns, row_numbers=numbers)

    def key_hashes(self, batch: ParsedCsv, positions: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(record numbers, hash of the trimmed texts at `positions`) of the batch's records with the header's
        width. Equal texts give equal hashes (Python's string hash, stable within the process, of the texts joined
        by a unit separator); unequal texts rarely do, which only costs `suspects` a false alarm."""
        if batch.columns is not None:
            return batch.numbers(), _hashes(batch.columns, positions, batch.row_count)
        good = [record for record in batch.records if len(record[1]) == self.width]
        numbers = np.fromiter((number for number, _fields in good), dtype=np.int64, count=len(good))
        return numbers, _record_hashes(good, positions)


def open_streamed(path: Path, scan: FileScan, batch_rows: int | None = None) -> StreamedCsv | None:
    """The file as a `StreamedCsv`, or None when `parse_csv` would reject it or it has no data record (the caller
    then reads it whole). A duplicate header name raises `FileRejected` (F04), as `parse_csv` does."""
    if not scan.utf8 or scan.size == 0:
        return None
    batch_rows = batch_rows or BATCH_ROWS
    if scan.plain:
        with path.open("rb") as file:
            first_line = file.readline().removeprefix(_BOM).decode("utf-8").removesuffix("\n").removesuffix("\r")
        names = first_line.split(",")
        if len(names) >= 2 and any(name.strip() for name in names):
            generated = [f"c{number}" for number in range(len(names))]
            try:
                header = _header(names)
            except FileRejected:
                return None
            if scan.lines < 2:
                return None
            return StreamedCsv(path, header, scan.lines - 1, len(names), True, batch_rows, generated)
    try:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text, strict=True)
            first = next(reader, None)
            if not first or not any(name.strip() for name in first):
                return None
            count = sum(1 for fields in reader if fields)
    except csv.Error:
        return None
    if count == 0:
        return None
    try:
        return StreamedCsv(path, _header(first), count, len(first), False, batch_rows)
    except FileRejected:
        return None


def suspects(numbers: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """The record numbers (sorted) whose hash another record shares (one sort; usually none)."""
    ordered = np.sort(hashes)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):
        return np.zeros(0, dtype=np.int64)
    return np.sort(numbers[np.isin(hashes, repeated)])


def _hashes(raw: list[pa.Array], positions: list[int], count: int) -> np.ndarray:
    if not positions or not count:
        return np.zeros(count, dtype=np.int64)
    parts = [strip(raw[position]) for position in positions]
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "\x1f")
    return np.fromiter(map(hash, joined.to_pylist()), dtype=np.int64, count=count)


def _record_hashes(records: list[tuple[int, list[str]]], positions: list[int]) -> np.ndarray:
    """`_hashes` of records read by `csv` (`str.strip` removes what `columnar.strip` does)."""
    if not positions:
        return np.zeros(len(records), dtype=np.int64)
    strip = str.strip
    if len(positions) == 1:
        (position,) = positions
        return np.fromiter((hash(strip(fields[position])) for _n, fields in records), np.int64, count=len(records))
    joined = ("\x1f".join([strip(fields[position]) for position in positions]) for _n, fields in records)
    return np.fromiter(map(hash, joined), dtype=np.int64, count=len(records))


def _member(sorted_numbers: np.ndarray, number: int) -> bool:
    index = np.searchsorted(sorted_numbers, number)
    return bool(index < len(sorted_numbers) and sorted_numbers[index] == number)


def _without(batch: ParsedCsv, skip: np.ndarray) -> ParsedCsv:
    if batch.columns is None:
        return ParsedCsv(batch.header, [record for record in batch.records if not _member(skip, record[0])])
    kept = np.flatnonzero(~np.isin(batch.numbers(), skip))
    return batch if len(kept) == batch.row_count else _take(batch, kept)


def _take(batch: ParsedCsv, indices: np.ndarray) -> ParsedCsv:
    taken = pa.array(indices, pa.int64())
    columns = [column.take(taken) for column in batch.columns]
    return ParsedCsv(batch.header, columns=columns, row_numbers=batch.numbers()[indices])
