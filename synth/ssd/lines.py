"""CSV lines rendered once and reused: the SSD and local cuts keep each record's line (a plain string, which the
garbage collector does not track) and a delivery's file is the join of its lines. The bytes are exactly those of
`synth.writer.write_csv` (csv.writer, QUOTE_MINIMAL, LF): most rows need no quoting and take a plain join, a cell
with a comma or a quote is quoted as csv.writer quotes it, and a row with a line break or a non-text cell is left to
csv.writer itself."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

_BUFFER = io.StringIO()
_WRITER = csv.writer(_BUFFER, lineterminator="\n")


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if '"' in cell or "," in cell else cell


def render(row: Sequence[str]) -> str:
    """The CSV line of one row, terminator included."""
    if len(row) > 1:  # csv.writer writes a lone empty cell as "": leave that to it
        try:
            line = ",".join(row)
        except TypeError:  # a non-str cell: let csv.writer format it
            line = None
        if line is not None and "\n" not in line and "\r" not in line:
            if '"' not in line and line.count(",") == len(row) - 1:
                return line + "\n"
            return ",".join([_quoted(cell) for cell in row]) + "\n"
    _BUFFER.seek(0)
    _BUFFER.truncate()
    _WRITER.writerow(row)
    return _BUFFER.getvalue()


def write_lines(path: Path, columns: Sequence[str], lines: Sequence[str]) -> dict[str, object]:
    """Write the header and the rendered lines; the manifest entry facts as `write_csv` returns them."""
    data = (render(columns) + "".join(lines)).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"rows": len(lines), "sha256": hashlib.sha256(data).hexdigest()}
