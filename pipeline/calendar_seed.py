"""Regenerate the warehouse's bank-holiday seed, `dbt_project/seeds/ref_bank_holidays.csv` (docs/architecture.md).

    python -m pipeline.calendar_seed                                   # the rules, 2000-2040
    python -m pipeline.calendar_seed --gov-uk-json bank-holidays.json  # gov.uk decides the years its file lists

Every year comes from `calendar_rules` (the statutory rules plus the one-off proclamations). A downloaded gov.uk
`bank-holidays.json` (https://www.gov.uk/bank-holidays.json; never fetched here: no network in builds or tests) is the
authority for the years it lists: those years are written exactly as gov.uk gives them, and every difference from
the rules is printed. A difference means a new proclamation: add it to `calendar_rules` as well, because the seed's
test (tests/dbt/test_calendar_seed.py) regenerates the seed from the rules alone and must find the file unchanged.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from calendar_rules import FIRST_PROCLAIMED_YEAR, england_and_wales
from extract.csv_families.bank_holidays import parse_bank_holidays
from extract.csv_reader import FileRejected
from pipeline.settings import DBT_PROJECT_DIR

SEED_PATH = DBT_PROJECT_DIR / "seeds" / "ref_bank_holidays.csv"
# The calendar (int_calendar_days_listed) starts on 2000-01-01 and reaches 3 years past `as_of`: the seed covers both.
FIRST_YEAR, LAST_YEAR = 2000, 2040
COLUMNS = ("date", "title")

Holiday = tuple[date, str]


def rule_holidays(first_year: int, last_year: int) -> list[Holiday]:
    """The England and Wales holidays of the years by the rules and the known proclamations."""
    return [(holiday.day, holiday.title) for holiday in england_and_wales(first_year, last_year)]


def gov_uk_holidays(data: bytes) -> list[Holiday]:
    """The england-and-wales events of a gov.uk `bank-holidays.json`, read by the same parser as a delivered file."""
    try:
        parsed = parse_bank_holidays(data)
    except FileRejected as error:
        raise ValueError(f"not a gov.uk bank-holidays.json: {error.message}") from None
    holidays = []
    for number, (day, title, _division) in parsed.records:
        try:
            holidays.append((date.fromisoformat(day), title.strip()))
        except ValueError:
            raise ValueError(f"event {number - 1}: date {day!r} is not YYYY-MM-DD") from None
    return sorted(holidays)


def seed_holidays(first_year: int, last_year: int, gov_uk: Iterable[Holiday] = ()) -> list[Holiday]:
    """The rules' holidays, with each year gov.uk lists replaced by gov.uk's own events for that year."""
    authority = [holiday for holiday in gov_uk if first_year <= holiday[0].year <= last_year]
    covered = {day.year for day, _ in authority}
    kept = [holiday for holiday in rule_holidays(first_year, last_year) if holiday[0].year not in covered]
    return sorted(kept + authority)


def disagreements(first_year: int, last_year: int, gov_uk: Iterable[Holiday]) -> list[str]:
    """One line per holiday that gov.uk and the rules list differently, over the years gov.uk lists."""
    authority = {holiday for holiday in gov_uk if first_year <= holiday[0].year <= last_year}
    years = {day.year for day, _ in authority}
    rules = {holiday for holiday in rule_holidays(first_year, last_year) if holiday[0].year in years}
    lines = [f"gov.uk only: {day} {title}" for day, title in sorted(authority - rules)]
    return lines + [f"rules only:  {day} {title}" for day, title in sorted(rules - authority)]


def render_seed(holidays: Iterable[Holiday]) -> str:
    """The seed file's text: a `date,title` header, one line per holiday, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((day.isoformat(), title) for day, title in holidays)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.calendar_seed", description=__doc__.splitlines()[0])
    parser.add_argument("--gov-uk-json", type=Path, help="a downloaded gov.uk bank-holidays.json (authority)")
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    parser.add_argument("--output", type=Path, default=SEED_PATH, help=f"default {SEED_PATH}")
    args = parser.parse_args(argv)
    if args.first_year < FIRST_PROCLAIMED_YEAR or args.last_year < args.first_year:
        parser.error(f"years must run forwards from {FIRST_PROCLAIMED_YEAR} (the proclamations are known from then)")
    gov_uk = gov_uk_holidays(args.gov_uk_json.read_bytes()) if args.gov_uk_json else []
    holidays = seed_holidays(args.first_year, args.last_year, gov_uk)
    args.output.write_text(render_seed(holidays), encoding="utf-8")
    print(f"wrote {len(holidays)} bank holidays {args.first_year}-{args.last_year} to {args.output}")
    differences = disagreements(args.first_year, args.last_year, gov_uk)
    if differences:
        print("gov.uk and calendar_rules disagree; add the proclamation to calendar_rules:", file=sys.stderr)
        print("\n".join(differences), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
