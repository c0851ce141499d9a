"""Run the DfE SSDA903 validation rules (csc-validator-be-903) over one collection year of a generated organisation.

Runs INSIDE .venv-oracle (stdlib + the validator only; `make oracle-venv`). It finds the organisation's 903 CSVs
for `--cy` (the history return, or the latest monthly delivery of that year), passes the previous year's files as
"Prev year" when they exist (the validator's year-on-year rules need them), and prints one line per rule with
failures: `<rule code>\t<flagged rows>\t<message>`, then the rules that crashed (`ERROR`) and a total line.

    .venv-oracle/bin/python oracle/run_903_oracle.py --inbound-dir data/oracle/inbound --la-code E06000039 \
        --cy 2025-26 [--json out.json]

Exit status: 0 when no rule fails (or `--no-fail`), 1 when some rule flags rows, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import re
import sys
import warnings
from pathlib import Path

_CY = re.compile(r"^\d{4}-\d{2}$")


def _files_for_year(la_dir: Path, cy: str) -> list[Path]:
    """The CSVs of collection year `cy`: history/903/<cy>/, else the latest delivery holding `<cy>` files."""
    history = la_dir / "history" / "903" / cy
    if history.is_dir():
        return sorted(history.glob("*.csv"))
    deliveries = sorted(
        (folder for folder in la_dir.iterdir() if re.match(r"^\d{4}-\d{2}$", folder.name)), reverse=True
    )
    for delivery in deliveries:
        files = sorted((delivery / "903").glob(f"*_903_{cy}_*.csv"))
        if files:
            return files
    return []


def _previous_year(cy: str) -> str:
    start = int(cy[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _uploaded(paths: list[Path], description: str) -> list[dict]:
    return [{"name": str(path), "description": description, "file_content": path.read_bytes()} for path in paths]


def run(la_dir: Path, la_code: str, cy: str) -> tuple[dict[str, int], list[str], dict[str, str]]:
    """(rule code -> flagged rows, rules that crashed, rule code -> message) for collection year `cy`."""
    os.environ.setdefault("QLACREF_PC_INSECURE", "True")
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO; we report failures ourselves
    warnings.simplefilter("ignore")
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    this_year = _files_for_year(la_dir, cy)
    if not this_year:
        raise SystemExit(f"no 903 files for {cy} under {la_dir}")
    previous = _files_for_year(la_dir, _previous_year(cy))
    schema_year = str(int(cy[:4]) + 1)
    registry = get_year_ruleset(schema_year)
    files = _uploaded(this_year, "This year") + _uploaded(previous, "Prev year")
    with contextlib.redirect_stdout(io.StringIO()):  # some rules print their working frames
        validator = LacValidator(
            metadata={"collectionYear": schema_year, "localAuthority": la_code},
            files=files,
            registry=registry,
            selected_rules=None,
        )
    counts: dict[str, int] = {}
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in frame.columns:
            if str(column).startswith("ERR_"):
                flagged = int(frame[column].fillna(False).astype(bool).sum())
                if flagged:
                    code = column[4:]
                    counts[code] = counts.get(code, 0) + flagged
    messages = {code: str(rule.message or "") for code, rule in registry.items()}
    return dict(sorted(counts.items())), sorted(validator.fails), messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbound-dir", type=Path, required=True, help="the inbound folder (LA folders inside)")
    parser.add_argument("--la-code", required=True)
    parser.add_argument("--cy", required=True, help="collection year, e.g. 2025-26")
    parser.add_argument("--json", type=Path, help="also write {rule: count, ...} and the crashed rules here")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when rules flag rows")
    args = parser.parse_args(argv)
    if not _CY.match(args.cy):
        parser.error("--cy must look like 2025-26")
    counts, crashed, messages = run(args.inbound_dir / args.la_code, args.la_code, args.cy)
    print(f"SSDA903 {args.cy} ({args.la_code}): DfE rules with failures")
    for code, count in counts.items():
        print(f"{code}\t{count}\t{messages.get(code, '')[:110]}")
    for code in crashed:
        print(f"{code}\tERROR\trule crashed on this data")
    print(f"total\t{sum(counts.values())} flagged rows in {len(counts)} rules; {len(crashed)} rules crashed")
    if args.json:
        args.json.write_text(json.dumps({"cy": args.cy, "failures": counts, "crashed": crashed}, indent=2) + "\n")
    return 0 if args.no_fail or not (counts or crashed) else 1


if __name__ == "__main__":
    sys.exit(main())
