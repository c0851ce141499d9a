"""DfE LA numbers (the 3-digit `LEA` of the CIN census header), keyed by ONS/GSS LA code.

Input contract §0.2 and §1.2.1: `Header/Source/LEA` must equal `ref_la_profile.dfe_la_number`. The number is read
from the LA's delivered reference file `inbound/<la>/ref/ref_la_profile.csv` (`delivered_dfe_la_number`); this small
table of real numbers is the fallback when that file is absent. An LA with neither has its CIN files rejected with
F06 and a line saying so.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

_DFE_LA_NUMBERS = {
    # Berkshire unitaries, Slough (871) first: the warehouse's first organisation.
    "E06000039": "871",  # Slough
    "E06000036": "867",  # Bracknell Forest
    "E06000040": "868",  # Windsor and Maidenhead
    "E06000037": "869",  # West Berkshire
    "E06000038": "870",  # Reading
    "E06000041": "872",  # Wokingham
}


def dfe_la_number(la_code: str | None) -> str | None:
    """The DfE LA number of `la_code` ('871' for E06000039), or None when it is not known."""
    return _DFE_LA_NUMBERS.get(la_code or "")


# ref_la_profile as the contract names files (§0.2): optional `<la_code>_` prefix and `_<YYYYMMDD>` suffix.
_LA_PROFILE_NAME = re.compile(r"^(?:E\d{8}_)?ref_la_profile(?:_\d{8})?\.csv$", re.IGNORECASE)


def delivered_dfe_la_number(inbound_dir: Path, la_code: str) -> str | None:
    """`dfe_la_number` of `la_code`'s row in its delivered `ref/ref_la_profile.csv` (the latest-named file), if any.

    Read leniently: a missing, unreadable or malformed file gives None, and the file itself is checked when it is
    extracted as part of the reference family.
    """
    folder = Path(inbound_dir) / la_code / "ref"
    if not folder.is_dir():
        return None
    names = sorted(path for path in folder.glob("*.csv") if _LA_PROFILE_NAME.match(path.name))
    for path in reversed(names):
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                for row in csv.DictReader(handle):
                    row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
                    if row.get("la_code") == la_code and row.get("dfe_la_number"):
                        return row["dfe_la_number"]
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    return None
