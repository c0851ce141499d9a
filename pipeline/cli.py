"""Command line: the same steps as the Airflow DAGs, without Airflow.

    csc-warehouse generate --as-of 2026-10-31       synthetic exports for a demo organisation
    csc-warehouse extract  --as-of 2026-10-31       land every delivery up to that month
    csc-warehouse build    --as-of 2026-10-31       one dbt build, swapped in only if it passed
    csc-warehouse publish  --as-of 2026-10-31       audit and publish each organisation's dataset
    csc-warehouse run      --as-of 2026-10-31       extract, build and publish
    csc-warehouse sql  [-c "select ..."]            SQL shell on the analysts' read-only copy
    csc-warehouse docs [--serve]                    the dbt docs site built with that copy

Folders come from environment variables (see pipeline/settings.py); nothing reads today's date.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pipeline import steps
from pipeline.analyst_copy import AnalystCopyError, AnalystPaths
from pipeline.crashpoints import crashpoint
from pipeline.lock import WarehouseBusyError, writer_lock
from pipeline.periods import parse_as_of
from pipeline.settings import Settings

DEMO_LA_CODE = "E06000039"
WRITING_COMMANDS = frozenset({"extract", "build", "publish", "run"})  # landing, warehouse or publication


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        # sql and docs only read the analysts' copy: no reporting date, no lock.
        as_of = parse_as_of(args.as_of) if "as_of" in vars(args) else None
        if args.command not in WRITING_COMMANDS:
            return args.handler(args, settings, as_of)
        # The whole command under one lock: a second run started at once is refused before it writes anything.
        with writer_lock(settings.work_dir, holder=f"csc-warehouse {args.command} --as-of {args.as_of}"):
            return args.handler(args, settings, as_of)
    except (steps.StepFailedError, WarehouseBusyError, ValueError, AnalystCopyError) as error:
        print(f"csc-warehouse {args.command}: FAILED: {error}", file=sys.stderr)
        return 1


def _generate(args: argparse.Namespace, settings: Settings, as_of: date) -> int:
    from synth import generate_organisation

    files = generate_organisation(
        settings.inbound_dir,
        args.la_code,
        as_of,
        seed=args.seed,
        months=args.months,
        history_years=args.history_years,
    )
    print(f"generated {len(files)} files for {args.la_code} under {settings.inbound_dir}")
    return 0


def _extract(args: argparse.Namespace, settings: Settings, as_of: date) -> int:
    outcomes = steps.extract_all_files(settings, as_of)
    _print_outcomes(outcomes)
    steps.check_mandatory_inputs(outcomes, as_of)
    return 0


def _build(args: argparse.Namespace, settings: Settings, as_of: date) -> int:
    result = steps.build_warehouse(settings, as_of)
    print(f"warehouse built as of {as_of}: {json.dumps(result['dbt'])}")
    _print_analyst_copy(steps.publish_analyst_copy(settings, as_of))
    return 0


def _print_analyst_copy(copy: dict) -> None:
    if copy.get("analyst_copy"):
        print(f"analyst copy (read-only, {len(copy['tables'])} tables): {copy['analyst_copy']}; docs: {copy['docs']}")


def _sql(args: argparse.Namespace, settings: Settings, as_of: None) -> int:
    from pipeline.analyst_shell import sql_shell

    return sql_shell(AnalystPaths.from_settings(settings), args.command_text)


def _docs(args: argparse.Namespace, settings: Settings, as_of: None) -> int:
    from pipeline.analyst_shell import docs_site, serve_docs

    paths = AnalystPaths.from_settings(settings)
    if args.serve:
        serve_docs(paths, args.host, args.port)
    else:
        site = docs_site(paths)
        print(f"dbt docs site: {site / 'static_index.html'} (one file), or `python -m pipeline docs --serve`")
    return 0


def _publish(args: argparse.Namespace, settings: Settings, as_of: date, dbt_summary: dict | None = None) -> int:
    la_codes = [args.la_code] if args.la_code else steps.organisations_in_warehouse(settings)
    for la_code in la_codes:
        published = steps.publish_month(settings, as_of, la_code, dbt_summary)
        print(f"published {la_code} {published['reporting_month']}: {published['published']}")
        print(f"  gate report: {published['report']}")
        for warning in published["warnings"]:
            print(f"  warning: {warning}")
        _print_headlines(Path(published["published"]))
    return 0


def _show(args: argparse.Namespace, settings: Settings, as_of: date) -> int:
    from publish.release import current_release

    la_codes = (
        [args.la_code]
        if args.la_code
        else sorted(p.name for p in settings.publish_dir.iterdir() if p.is_dir() and p.name != "releases")
    )
    for la_code in la_codes:
        month = as_of.strftime("%Y-%m")
        release = current_release(settings.publish_dir, la_code, month)
        if release is None:
            print(f"{la_code} {month}: not published")
            continue
        public_path = settings.publish_dir / la_code / month
        print(f"{la_code} {month} published at {public_path}")
        for path in sorted(release.iterdir()):
            print(f"  {public_path / path.name}")
        print("headline figures:")
        _print_headlines(public_path)
    return 0


def _run(args: argparse.Namespace, settings: Settings, as_of: date) -> int:
    _extract(args, settings, as_of)
    crashpoint("run.extracted")
    build = steps.build_warehouse(settings, as_of)
    print(f"warehouse built as of {as_of}: {json.dumps(build['dbt'])}")
    _print_analyst_copy(steps.publish_analyst_copy(settings, as_of))
    crashpoint("run.built")
    return _publish(args, settings, as_of, build["dbt"])


def _print_outcomes(outcomes: list[dict]) -> None:
    for outcome in outcomes:
        line = (
            f"{outcome['outcome']:>9}  {outcome['source_file']}  rows read {outcome['rows_read']}, "
            f"landed {outcome['rows_landed']}, quarantined {outcome['rows_quarantined']}"
        )
        print(line if outcome["outcome"] != "rejected" else f"{line}\n           {outcome['message']}")


def _print_headlines(public_path: Path) -> None:
    import pyarrow.parquet as pq

    for row in pq.read_table(public_path / "tsg_dataset.parquet").to_pylist():
        print(
            f"  {row['kpi_name'][:58]:<58} {_figure(row['value'], row['unit']):>8}  "
            f"(n={row['numerator']}/{row['denominator'] if row['denominator'] is not None else '-'})  "
            f"target {_figure(row['target'], row['unit']) if row['target'] is not None else 'none':>6}  "
            f"{row['rag_state']} ({row['rag_colour']})"
        )


def _figure(value: object, unit: str) -> str:
    """A published value as the dashboard shows it: percentages to 1 decimal, counts whole."""
    if value is None:
        return "no data"
    return f"{value}%" if unit == "%" else f"{int(value)}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csc-warehouse", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, help_text in [
        ("generate", _generate, "write a synthetic organisation's exports into the inbound folder"),
        ("extract", _extract, "land every delivery up to --as-of (archive, checks, Parquet, quarantine)"),
        ("build", _build, "build and test the warehouse for --as-of with dbt"),
        ("publish", _publish, "audit and publish the TSG dataset for --as-of"),
        ("run", _run, "extract, build and publish for --as-of"),
        ("show", _show, "say where the dataset for --as-of is published and print its figures"),
    ]:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        command.add_argument("--as-of", required=True, help="reporting month end, YYYY-MM-DD (never defaults to today)")
        command.add_argument(
            "--la-code",
            default=DEMO_LA_CODE if name == "generate" else None,
            help="organisation (ONS code); publish: default every organisation in the warehouse",
        )
        if name == "generate":
            command.add_argument("--seed", type=int, default=42, help="random seed (same seed, same bytes)")
            command.add_argument("--months", type=int, default=2, help="monthly deliveries up to --as-of")
            command.add_argument("--history-years", type=int, default=3, help="earlier collection years")
    sql = commands.add_parser("sql", help="SQL shell on the analysts' read-only copy of the warehouse")
    sql.set_defaults(handler=_sql)
    sql.add_argument("-c", dest="command_text", default=None, help="run one statement, print it and exit")
    docs = commands.add_parser("docs", help="the dbt docs site built with the analysts' copy")
    docs.set_defaults(handler=_docs)
    docs.add_argument("--serve", action="store_true", help="serve it over HTTP until Ctrl-C")
    docs.add_argument("--host", default="127.0.0.1", help="address to serve on (default localhost only)")
    docs.add_argument("--port", type=int, default=8080)
    return parser


if __name__ == "__main__":
    sys.exit(main())
