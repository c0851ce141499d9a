"""What an analyst runs: an SQL shell on the read-only copy, and the dbt docs site built with it.

python -m pipeline sql               interactive shell (the DuckDB CLI if installed, else a small Python one)
python -m pipeline sql -c "select …" one statement, result printed, exit status 1 on error
python -m pipeline docs [--serve]    where the docs site is, or serve it on http://127.0.0.1:8080
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from pipeline.analyst_copy import AnalystCopyError, AnalystPaths, open_read_only

PROMPT = "csc> "
CONTINUATION = "...> "
HELP = "SQL statements end with ';'.  .tables lists the tables, .quit (or Ctrl-D) leaves. The copy is read-only."


def sql_shell(paths: AnalystPaths, command: str | None = None, *, use_cli: bool = True) -> int:
    """Open an SQL shell on the analysts' copy (never the file dbt writes), read-only."""
    connection = open_read_only(paths)  # fails with a clear message when no copy exists yet
    cli = shutil.which("duckdb") if use_cli else None
    if cli and command is None:
        connection.close()
        os.execv(cli, [cli, "-readonly", str(paths.copy)])
    try:
        if command is not None:
            return 0 if run_statement(connection, command, sys.stdout) else 1
        return repl(connection, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    finally:
        connection.close()


def repl(connection: duckdb.DuckDBPyConnection, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> int:
    """Read statements up to ';' and print their results; errors are printed and the shell goes on."""
    if interactive:
        print(HELP, file=stdout)
    buffer: list[str] = []
    while True:
        if interactive:
            stdout.write(CONTINUATION if buffer else PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        stripped = line.strip()
        if not buffer and stripped in {".quit", ".exit"}:
            break
        if not buffer and stripped == ".tables":
            run_statement(
                connection, "select table_schema, table_name from information_schema.tables order by 1, 2", stdout
            )
            continue
        buffer.append(line)
        if stripped.endswith(";"):
            run_statement(connection, "".join(buffer), stdout)
            buffer = []
    if buffer and "".join(buffer).strip():
        run_statement(connection, "".join(buffer), stdout)
    return 0


def run_statement(connection: duckdb.DuckDBPyConnection, statement: str, stdout: TextIO) -> bool:
    """Run one statement and print its result as a table; False (and the error printed) when it failed."""
    try:
        relation = connection.sql(statement)
    except duckdb.Error as error:
        print(f"Error: {error}", file=stdout)
        return False
    if relation is not None:
        print(relation, file=stdout)
    return True


def docs_site(paths: AnalystPaths) -> Path:
    """The folder of the current docs site (built with the copy)."""
    if not (paths.docs_link / "index.html").exists():
        raise AnalystCopyError(
            f"no docs site at {paths.docs_link}: it is generated with the analyst copy after a build"
        )
    return paths.docs_link.resolve()


def serve_docs(paths: AnalystPaths, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the docs site until interrupted (bound to localhost by default: the docs describe restricted models)."""
    folder = docs_site(paths)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"dbt docs for the analyst copy: http://{host}:{server.server_address[1]}/  (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
