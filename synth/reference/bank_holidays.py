"""England and Wales bank holidays for the synthetic files, as the gov.uk `bank-holidays.json` lists them.

The dates and titles come from `calendar_rules` (the statutory rules plus the one-off proclamations), the same
source the warehouse's `ref_bank_holidays` seed is generated from, so the generator's working days and the
warehouse's agree. This module only adds the gov.uk JSON shape an organisation may deliver instead of the CSV.
"""

from __future__ import annotations

import json

from calendar_rules import BankHoliday, bank_holiday_dates, easter_sunday, england_and_wales

__all__ = ["BankHoliday", "bank_holiday_dates", "easter_sunday", "england_and_wales", "gov_uk_json"]


def gov_uk_json(first_year: int, last_year: int) -> str:
    """The gov.uk `bank-holidays.json` shape, England and Wales division only."""
    events = [
        {"title": h.title, "date": h.day.isoformat(), "notes": h.notes, "bunting": h.bunting}
        for h in england_and_wales(first_year, last_year)
    ]
    body = {"england-and-wales": {"division": "england-and-wales", "events": events}}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
