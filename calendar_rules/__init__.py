"""The law on England and Wales bank holidays, in one place: the statutory rules plus the one-off proclamations.

A top-level package because two layers that must not depend on each other use it: `synth` (the stand-in for an
organisation's exports) and the warehouse's seed refresh (`python -m pipeline.calendar_seed`). It imports nothing
from the project, so either can use it without pulling in the other.
"""

from calendar_rules.england_and_wales import (
    FIRST_PROCLAIMED_YEAR,
    BankHoliday,
    bank_holiday_dates,
    easter_sunday,
    england_and_wales,
)

__all__ = ["FIRST_PROCLAIMED_YEAR", "BankHoliday", "bank_holiday_dates", "easter_sunday", "england_and_wales"]
