"""The reference files of one organisation (input contract §5), written once to `inbound/<la>/ref/`.

Mandatory: ref_la_profile, ref_onspd, ref_bank_holidays, ref_subjective_map, ref_cost_centre_map. Recommended and
optional: ref_provider_ofsted (the organisation's registered settings and agencies), ref_school_ofsted (a pool of
fictional schools, `school_pool`), ref_population, ref_population_ethnicity and ref_local_code_map.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date
from pathlib import Path

from synth.calendar import add_months
from synth.finance.chart import CORPORATE_COST_CENTRES, PLACEMENT_COST_CENTRES, SUBJECTIVES
from synth.finance.exports import provider_registry
from synth.reference.bank_holidays import england_and_wales, gov_uk_json
from synth.reference.la import OFFICE_POSTCODE, dfe_la_number, la_name, organisation_name
from synth.reference.postcodes import ONSPD_COLUMNS, centroid, onspd_rows
from synth.rng import Rng
from synth.workforce.establishment import JOB_FAMILIES
from synth.workforce.exports import write_tables
from synth.workforce.pool import build_workforce, span_start
from synth.workforce.staffing import Workforce

REF_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref_la_profile": (
        *("la_code", "la_name", "dfe_la_number", "office_postcode", "organisation_name", "source_preference"),
        "first_reporting_month",
    ),
    "ref_onspd": ONSPD_COLUMNS,
    "ref_bank_holidays": ("date", "title", "division"),
    "ref_subjective_map": ("subjective_code", "description", "subjective_group"),
    "ref_cost_centre_map": (
        *("cost_centre", "description", "finance_placement_type", "service_code", "valid_from", "valid_to"),
    ),
    "ref_provider_ofsted": (
        *("urn", "provider_type", "registration_status", "la_code", "setting_postcode", "registered_places"),
        *("inspection_date", "overall_effectiveness", "snapshot_date"),
    ),
    "ref_school_ofsted": ("urn", "school_phase", "inspection_date", "overall_effectiveness", "snapshot_date"),
    "ref_population": ("year", "age", "sex", "population"),
    "ref_population_ethnicity": ("ethnic_group", "population_u18", "source"),
    "ref_local_code_map": ("table_name", "column_name", "local_value", "contract_value", "valid_from", "valid_to"),
}
_OFSTED_TYPES = {
    "CHILDRENS_HOME": "Children's home",
    "INHOUSE_RES": "Children's home",
    "SUPPORTED_ACCOM": "Supported accommodation",
    "SECURE": "Secure children's home",
    "RESIDENTIAL_SCHOOL": "Residential special school",
    "IFA": "Independent fostering agency",
    "PARENT_AND_CHILD": "Residential family centre",
}
_GRADE_CODES = {"O": "1", "G": "2", "RI": "3", "I": "4"}
# Census 2011 under-18 population of Slough by ethnicity (kpi-catalogue §5.4: 37,224; white 12,838; White British
# 9,681); the split inside the groups is illustrative.
_ETHNICITY_U18 = {
    "WBRI": 9681, "WIRI": 100, "WIRT": 50, "WROM": 150, "WOTH": 2857, "MWBC": 1300, "MWBA": 400, "MWAS": 900,
    "MOTH": 900, "AIND": 4800, "APKN": 8500, "ABAN": 300, "AOTH": 1600, "BCRB": 500, "BAFR": 2200, "BOTH": 400,
    "CHNE": 200, "OOTH": 2386,
}  # fmt: skip
_SCHOOL_PHASES = {"Primary": 0.62, "Secondary": 0.25, "Special": 0.08, "Alternative provision": 0.05}
NO_GRADE_FROM = date(2024, 9, 1)  # inspections from September 2024 carry no single overall grade


def school_pool(seed: int, la_code: str, count: int = 40) -> list[tuple[str, str]]:
    """(URN, phase) of the fictional schools the organisation's children attend: 6-digit URNs from 150000."""
    rng = Rng(f"{seed}|{la_code}|schools")
    urns = sorted(rng.sample(range(150000, 160000), count))
    return [(str(urn), rng.choices(list(_SCHOOL_PHASES), weights=list(_SCHOOL_PHASES.values()))[0]) for urn in urns]


def _inspections(rng: random.Random, latest: date, grade: str, since: date) -> list[tuple[date, str]]:
    """The latest inspection (given) and up to two earlier ones, roughly yearly for settings."""
    history = [(latest, grade)]
    day = latest
    for _ in range(rng.randint(0, 2)):
        day = day.fromordinal(day.toordinal() - rng.randint(300, 500))
        if day < since:
            break
        history.append((day, rng.choices(("1", "2", "3", "4"), weights=(0.1, 0.5, 0.32, 0.08))[0]))
    return sorted(history)


def reference_tables(
    seed: int, la_code: str, as_of: date, months: int, workforce: Workforce
) -> dict[str, list[list[str]]]:
    first_month = date(*add_months(as_of, -(months - 1)), 1)
    tables: dict[str, list[list[str]]] = {name: [] for name in REF_COLUMNS}
    tables["ref_la_profile"] = [
        [la_code, la_name(la_code), dfe_la_number(la_code), OFFICE_POSTCODE, organisation_name(la_code), "",
         f"{first_month:%Y-%m}"]
    ]  # fmt: skip
    tables["ref_onspd"] = onspd_rows(la_code)
    first_year = min(2015, span_start(as_of).year)
    tables["ref_bank_holidays"] = [
        [h.day.isoformat(), h.title, "england-and-wales"]
        for h in england_and_wales(first_year, max(2030, as_of.year + 1))
    ]
    tables["ref_subjective_map"] = [[code, text, group] for code, (text, group) in SUBJECTIVES.items()]
    valid_from = date.fromordinal(workforce.start).isoformat()
    cost_centres = [
        [cc, text, kind, service, valid_from, ""] for cc, (text, kind, service) in PLACEMENT_COST_CENTRES.items()
    ]
    cost_centres += [[cc, text, "", service, valid_from, ""] for cc, (text, service) in CORPORATE_COST_CENTRES.items()]
    cost_centres += [[t.cost_centre, t.name, "", t.service, valid_from, ""] for t in workforce.teams]
    tables["ref_cost_centre_map"] = sorted(cost_centres)

    snapshot = as_of.isoformat()
    since = date(as_of.year - 10, 4, 1)
    for provider in provider_registry(seed, la_code, as_of).by_id.values():
        if not provider.urn:
            continue
        rng = Rng(f"{seed}|{la_code}|ofsted|{provider.urn}")
        if provider.ofsted_date is None:
            history = [(date.fromordinal(as_of.toordinal() - rng.randint(10, 200)), "NI")]
        else:
            history = _inspections(
                rng, date.fromordinal(provider.ofsted_date), _GRADE_CODES[provider.ofsted_grade], since
            )
        lad = centroid(provider.postcode, la_code).lad if provider.postcode else la_code
        for day, grade in history:
            tables["ref_provider_ofsted"].append(
                [provider.urn, _OFSTED_TYPES.get(provider.provider_type, "Other"), "ACTIVE", lad, provider.postcode,
                 "" if provider.registered_places is None else str(provider.registered_places), day.isoformat(),
                 grade, snapshot]
            )  # fmt: skip
    tables["ref_provider_ofsted"].sort()
    for urn, phase in school_pool(seed, la_code):
        rng = Rng(f"{seed}|{la_code}|school|{urn}")
        day = date.fromordinal(as_of.toordinal() - rng.randint(30, 1800))
        for _ in range(rng.randint(1, 3)):
            grade = (
                "" if day >= NO_GRADE_FROM else rng.choices(("1", "2", "3", "4"), weights=(0.15, 0.65, 0.16, 0.04))[0]
            )
            tables["ref_school_ofsted"].append([urn, phase, day.isoformat(), grade, snapshot])
            day = date.fromordinal(day.toordinal() - rng.randint(900, 1800))
    tables["ref_school_ofsted"].sort()

    # Mid-year estimates: ~43,100 under-18s in 2019 (kpi-catalogue §4.1), 51 % male, growing 1 % a year.
    for year in range(first_year, as_of.year + 1):
        for age in range(18):
            total = 43_112 / 18 * 1.01 ** (year - 2019) * (1.0 + 0.004 * (8 - age))
            male = round(total * 0.51)
            tables["ref_population"] += [
                [str(year), str(age), "M", str(male)],
                [str(year), str(age), "F", str(round(total) - male)],
            ]
    tables["ref_population_ethnicity"] = [
        [code, str(n), "Census 2011 (illustrative split)"] for code, n in _ETHNICITY_U18.items()
    ]
    titles = {title for title in (post.job_title for post in workforce.posts)}
    role_of = {post.job_title: JOB_FAMILIES[post.job_family][3] for post in workforce.posts}
    tables["ref_local_code_map"] = [
        ["ssd_professionals", "local_role_code", title, role_of[title], "", ""] for title in sorted(titles)
    ]
    return tables


def write_reference_exports(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    months: int = 1,
    seed: int = 42,
    workforce: Workforce | None = None,
    bank_holidays_json: bool = False,
) -> dict[str, list[dict[str, object]]]:
    """Write the reference tables to `inbound/<la>/ref/`; returns {"ref": manifest entries}.

    `bank_holidays_json` writes ref_bank_holidays as the gov.uk JSON instead of the CSV.
    """
    workforce = workforce or build_workforce(seed, la_code, as_of)
    folder = Path(inbound_dir) / la_code / "ref"
    tables = reference_tables(seed, la_code, as_of, months, workforce)
    columns = dict(REF_COLUMNS)
    entries = []
    if bank_holidays_json:
        del columns["ref_bank_holidays"]
        first_year = int(tables["ref_bank_holidays"][0][0][:4])
        last_year = int(tables["ref_bank_holidays"][-1][0][:4])
        data = gov_uk_json(first_year, last_year).encode("utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ref_bank_holidays.json").write_bytes(data)
        entries.append(
            {"path": "ref_bank_holidays.json", "table": "ref_bank_holidays", "rows": len(tables["ref_bank_holidays"]),
             "sha256": hashlib.sha256(data).hexdigest()}
        )  # fmt: skip
    entries = write_tables(folder, "", columns, tables) + entries
    for entry in entries:
        entry["path"] = str(entry["path"]).lstrip("/")
    return {"ref": entries}
