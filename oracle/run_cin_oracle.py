"""Run the DfE CIN census validation rules (csc-validator-be-cin) over generated CIN census XML files and print,
for each file, every rule it breaks with the number of children (or 1 for a return-level rule) that break it.

Runs inside .venv-oracle-cin (make oracle-cin-venv): the validator pins pandas<2, so it cannot share .venv.

    .venv-oracle-cin/bin/python oracle/run_cin_oracle.py data/oracle-cin [--collection-year 2025-26]

PATH is a CIN XML file or an inbound folder; in a folder, each collection year's file is its history census
(history/cin/<CY>/) when there is one, else the latest monthly delivery's in-year file. The ruleset is the
collection year's (cin2025_26 for 2025-26), clamped to the rulesets the package ships. Exit status 1 when any
ERROR rule (not a QUERY) is broken.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

from cin_validator import cin_validator

_RULESETS = ("cin2022_23", "cin2023_24", "cin2024_25", "cin2025_26", "cin2026_27")
_CY = re.compile(r"(\d{4})-(\d{2})")


def ruleset_for(cy: str) -> str:
    start = int(cy[:4])
    name = f"cin{start}_{(start + 1) % 100:02d}"
    if name in _RULESETS:
        return name
    return _RULESETS[0] if name < _RULESETS[0] else _RULESETS[-1]


def files_by_year(path: Path) -> dict[str, Path]:
    """{collection year: file}: history censuses first, else the latest monthly in-year file."""
    if path.is_file():
        match = _CY.search(path.name)
        return {match.group(0) if match else "unknown": path}
    chosen: dict[str, Path] = {}
    for file in sorted(path.rglob("*.xml")):  # monthly folders sort by month, so the latest wins
        match = _CY.search(file.name)
        if not match:
            continue
        cy = match.group(0)
        if "history" in file.parts or "history" not in chosen.get(cy, Path()).parts:
            chosen[cy] = file
    return dict(sorted(chosen.items()))


def validate(file: Path, ruleset: str) -> tuple[dict[str, tuple[int, str, str]], list[str], int]:
    """({rule: (failures, type, message)}, rules that crashed, rules run) for one file."""
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    root = ET.parse(file).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas FutureWarnings from inside the rules
        validator = cin_validator.CinValidator(data, registry)
    crashed = re.findall(r"Error with rule (\S+):", printed.getvalue())
    failures: dict[str, tuple[int, str, str]] = {}
    issues = validator.full_issue_df
    for code in validator.rules_broken:
        rows = issues[issues["rule_code"] == code]
        children = rows["child_id"].dropna().nunique() if "child_id" in rows else 0
        failures[str(code)] = (max(children, 1), registry[str(code)].rule_type.name, registry[str(code)].message)
    for frame in getattr(validator, "la_rules_broken", []):
        for code in frame["rule_code"].unique() if "rule_code" in frame else []:
            rule = registry[str(code)]
            failures[str(code)] = (1, rule.rule_type.name, rule.message)
    return failures, crashed, len(registry)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a CIN XML file or an inbound folder")
    parser.add_argument("--collection-year", help="only this collection year, e.g. 2025-26")
    args = parser.parse_args(argv)
    files = files_by_year(args.path)
    if args.collection_year:
        files = {cy: file for cy, file in files.items() if cy == args.collection_year}
    if not files:
        print(f"no CIN census file found under {args.path}", file=sys.stderr)
        return 2
    errors = 0
    for cy, file in files.items():
        ruleset = ruleset_for(cy)
        failures, crashed, run = validate(file, ruleset)
        print(f"== {file} ({cy}, ruleset {ruleset}): {run} rules, {len(failures)} broken")
        for code, (count, kind, message) in sorted(failures.items(), key=lambda item: item[0]):
            print(f"{code}\t{count}\t{kind}\t{message[:110]}")
            errors += kind == "ERROR"
        for code in crashed:
            print(f"{code}\tcrashed (the rule raised; see the validator's output)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
