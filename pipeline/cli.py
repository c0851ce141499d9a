"""Command line: the same steps as the Airflow DAGs, without Airflow.

    csc-warehouse generate --as-of 2026-10-31       synthetic exports for a demo organisation
    csc-warehouse extract  --as-of 2026-10-31       land every delivery up to that month
    csc-warehouse build    --as-of 2026-10-31       one dbt build, swapped in only if it passed
    csc-warehouse publish  --as-of 2026-10-31       audit and publish each organisation's dataset, then the comparison
    csc-warehouse run      --as-of 2026-10-31       extract, republish corrected past months, build and publish
    csc-warehouse backfill --from 2026-04 --to 2026-09   rebuild and republish each month as a run on its date
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
WRITING_COMMANDS = frozenset({"extract", "build", "publish", "run", "backfill"})  # landing, warehouse or publication


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        # sql and docs only read the analysts' copy: no reporting date, no lock.
        as_of = parse_as_of(args.as_of) if "as_of" in vars(args) else None
        if args.command not in WRITING_COMMANDS:
            return args.handler(args, settings, as_of)
        # The whole command under one lock: a second run started at once is refused before it writes anything.
        with writer_lock(settings.work_dir, holder=f"csc-warehouse {' '.join(_command_words(args))}"):
            return _logged_command(args, settings, as_of)
    except (steps.StepFailedError, WarehouseBusyError, ValueError, AnalystCopyError) as error:
        print(f"csc-warehouse {args.command}: FAILED: {error}", file=sys.stderr)
        return 1


def _logged_command(args: argparse.Namespace, settings: Settings, as_of: date | None) -> int:
    """Run a writing command with its step log open (work/run_logs/cli/); a failed step leaves the failure report
    (reports/FAILED-run-<YYYY-MM>.md, with the log beside it), a finished run or publication clears it."""
    from pipeline import failure_report, run_log

    path = run_log.run_log_path(settings.work_dir, "cli", run_log.cli_run_id(args.command))
    with run_log.logging_to(path):
        try:
            status = args.handler(args, settings, as_of)
        except steps.StepFailedError as error:
            report = failure_report.write_failure_report(settings, _failed_month(args, as_of), error)
            if report is not None:  # on stdout: the FAILED line on stderr stays the one line it always was
                print(f"failure report: {report} (step log beside it)")
            raise
    if args.command in ("run", "publish", "backfill"):
        for month in _months_of(args, as_of):
            failure_report.clear_failure_report(settings, month)
    return status


def _failed_month(args: argparse.Namespace, as_of: date | None) -> date:
    """The month the failed step was working on (a backfill's current month), from the run log."""
    from pipeline import run_log
    from pipeline.periods import month_end

    failed = run_log.last_failure(run_log.current()) or {}
    if failed.get("as_of"):
        return month_end(date.fromisoformat(failed["as_of"]))
    return as_of or _months_of(args, as_of)[0]


def _months_of(args: argparse.Namespace, as_of: date | None) -> list[date]:
    from pipeline.republish import months_between, parse_month

    return months_between(parse_month(args.first), parse_month(args.last)) if as_of is None else [as_of]


def _command_words(args: argparse.Namespace) -> list[str]:
    if args.command == "backfill":
        return [args.command, "--from", args.first, "--to", args.last]
    return [args.command, "--as-of", args.as_of]


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
    """Each organisation on its own gate: one failing does not stop the others, but the command then fails."""
    la_codes = [args.la_code] if args.la_code else None
    result = steps.publish_organisations(settings, as_of, la_codes, dbt_summary)
    for published in result["published"]:
        print(f"published {published['la_code']} {published['reporting_month']}: {published['published']}")
        print(f"  gate report: {published['report']}")
        for warning in published["warnings"]:
            print(f"  warning: {warning}")
        _print_headlines(Path(published["published"]))
    if result["comparison"]:
        print(f"published the comparison across organisations: {result['comparison']['published']}")
    for la_code, reason in result["failed"].items():
        print(f"csc-warehouse {args.command}: {la_code}: FAILED: {reason}", file=sys.stderr)
    if result["failed"]:
        not_compared = " The comparison across organisations was not published." if la_codes is None else ""
        raise steps.StepFailedError(f"not published: {', '.join(result['failed'])}.{not_compared}")
    return 0


def _show(args: argparse.Namespace, settings: Settings, as_of: date) -> int:
    from publish.release import current_release

    la_codes = (
        [args.la_code]
        if args.la_code
        else sorted(
            p.name
            for p in settings.publish_dir.iterdir()
            if p.is_dir() and p.name != "releases" and not p.name.startswith("_")  # _comparison is no organisation
        )
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
    from pipeline.republish import republish_stale

    _extract(args, settings, as_of)
    crashpoint("run.extracted")
    # Past months whose inputs changed since they were published (a corrected re-delivery, a late file): rebuilt
    # and republished first, oldest first, so the warehouse ends on `as_of` (built next).
    for published in republish_stale(settings, as_of, before=True, restore=False):
        print(f"republished {published['la_code']} {published['reporting_month']}: {published['published']}")
    build = steps.build_warehouse(settings, as_of)
    print(f"warehouse built as of {as_of}: {json.dumps(build['dbt'])}")
    _print_analyst_copy(steps.publish_analyst_copy(settings, as_of))
    crashpoint("run.built")
    return _publish(args, settings, as_of, build["dbt"])


def _backfill(args: argparse.Namespace, settings: Settings, as_of: None) -> int:
    from pipeline.republish import backfill, parse_month

    backfill(settings, parse_month(args.first), parse_month(args.last))
    return 0


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
    backfill = commands.add_parser(
        "backfill", help="rebuild and republish every month of a range, in order, each as a run on its as-of date"
    )
    backfill.set_defaults(handler=_backfill)
    backfill.add_argument("--from", dest="first", required=True, help="first month, YYYY-MM")
    backfill.add_argument("--to", dest="last", required=True, help="last month, YYYY-MM")
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
