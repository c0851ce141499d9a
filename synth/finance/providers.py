"""The organisation's providers (`fin_provider`): its settings with Ofsted URNs, independent fostering agencies,
other LAs, parent-and-child and custody providers, in-house carers and the individuals paid allowances.

Organisations get a generic made-up name; individual carers and guardians never have a name or a postcode
(input contract §4.2, §11). Grades are drawn once per provider from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.rng import Rng
from synth.settings_pool import Setting, pick_postcode

# Ofsted grade weights of external providers (S3: about half of placements were with RI-rated providers).
_GRADES = {"O": 0.12, "G": 0.48, "RI": 0.32, "I": 0.05, "NOT_INSPECTED": 0.03}
_SETTING_TYPES = {
    "K2": ("CHILDRENS_HOME", "Children's home", 4),
    "SEMI": ("SUPPORTED_ACCOM", "Supported accommodation service", 8),
    "K1": ("SECURE", "Secure children's home", 12),
    "S1": ("RESIDENTIAL_SCHOOL", "Residential special school", 30),
    "SHORT_BREAK": ("INHOUSE_RES", "Short breaks unit", 6),
}
_POOLS = (  # (prefix, count, provider_type, name stem, organisation, in-house, areas local/near/far, places)
    ("IFA", 10, "IFA", "Independent fostering agency", True, False, (0.3, 0.4, 0.3), 0),
    ("OLA", 4, "OTHER_LA", "Neighbouring council fostering service", True, False, (0.0, 0.8, 0.2), 0),
    ("PAC", 3, "PARENT_AND_CHILD", "Parent and child assessment centre", True, False, (0.1, 0.5, 0.4), 6),
    ("YOI", 2, "SECURE", "Young offender institution", True, False, (0.0, 0.2, 0.8), 0),
    ("HSG", 5, "OTHER", "Housing association", True, False, (0.7, 0.3, 0.0), 0),
    ("OTH", 1, "OTHER", "Other placement provider", True, False, (0.6, 0.3, 0.1), 0),
    ("FC", 60, "INHOUSE_FOSTER", "", False, True, (0.85, 0.15, 0.0), 0),
)


@dataclass(frozen=True, slots=True)
class Provider:
    provider_id: str
    urn: str
    name: str  # organisations only
    provider_type: str
    inhouse: bool
    postcode: str  # organisations only
    registered_places: int | None
    ofsted_grade: str
    ofsted_date: int | None  # ordinal of the latest inspection


def _grade(rng: random.Random, urn: str, first_day: int, last_day: int) -> tuple[str, int | None]:
    grade = rng.choices(list(_GRADES), weights=list(_GRADES.values()))[0] if urn else ""
    if grade in ("", "NOT_INSPECTED"):
        return grade, None
    return grade, rng.randint(first_day, last_day)


class ProviderRegistry:
    """All providers of one organisation, by id. Individuals (connected carers, guardians) are added on use."""

    def __init__(self, seed: int, la_code: str, settings: dict[str, tuple[Setting, ...]], inspected: tuple[int, int]):
        rng = Rng(f"{seed}|{la_code}|providers")
        self.by_id: dict[str, Provider] = {}
        self.by_urn: dict[str, str] = {}
        self.short_break_unit = ""
        self._pools: dict[str, list[str]] = {}
        self._of_type: dict[str, list[str]] = {}
        for kind, pool in settings.items():
            provider_type, stem, places = _SETTING_TYPES[kind]
            for setting in pool:
                inhouse = setting.provider == "PR1"
                if kind == "K2" and inhouse:
                    provider_type, stem = "INHOUSE_RES", "In-house children's home"
                grade, when = _grade(rng, setting.urn, *inspected)
                provider_id = f"PRV{setting.urn}"
                self.by_id[provider_id] = Provider(
                    provider_id, setting.urn, f"{stem} {setting.urn}", provider_type, inhouse, setting.postcode,
                    places + rng.randint(0, 2), grade, when,
                )  # fmt: skip
                self.by_urn[setting.urn] = provider_id
                if kind == "SHORT_BREAK":
                    self.short_break_unit = provider_id
                provider_type, stem, places = _SETTING_TYPES[kind]
        used: set[str] = {provider.urn for provider in self.by_id.values()}
        for prefix, count, provider_type, stem, organisation, inhouse, areas, places in _POOLS:
            for number in range(1, count + 1):
                provider_id = f"{prefix}{number:02d}" if organisation else f"{prefix}{number:04d}"
                urn = ""
                if provider_type in ("IFA", "PARENT_AND_CHILD"):
                    urn = f"SC{rng.randrange(100000, 1000000)}"
                    while urn in used:
                        urn = f"SC{rng.randrange(100000, 1000000)}"
                    used.add(urn)
                grade, when = _grade(rng, urn, *inspected)
                self.by_id[provider_id] = Provider(
                    provider_id, urn, f"{stem} {number:02d}" if organisation else "", provider_type, inhouse,
                    pick_postcode(rng, areas) if organisation else "", places or None, grade, when,
                )  # fmt: skip

    def individual(self, provider_id: str, provider_type: str, inhouse: bool) -> str:
        """Register (once) an individual carer or guardian: no name, no postcode, no grade."""
        if provider_id not in self.by_id:
            self.by_id[provider_id] = Provider(provider_id, "", "", provider_type, inhouse, "", None, "", None)
            self._of_type.pop(provider_type, None)
        return provider_id

    def of_type(self, provider_type: str) -> list[str]:
        """The ids of every provider of `provider_type`, sorted."""
        if provider_type not in self._of_type:
            self._of_type[provider_type] = sorted(
                pid for pid, provider in self.by_id.items() if provider.provider_type == provider_type
            )
        return self._of_type[provider_type]

    def pool(self, prefix: str) -> list[str]:
        """The organisations (or in-house carers) of one pool, e.g. "IFA" -> IFA01..IFA10."""
        if prefix not in self._pools:
            self._pools[prefix] = sorted(
                pid for pid in self.by_id if pid.startswith(prefix) and pid[len(prefix) :].isdigit()
            )
        return self._pools[prefix]
