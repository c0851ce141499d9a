"""Identity of a synthetic organisation: its DfE LA number, name and office postcode.

`dfe_la_number` is the one place that maps an ONS LA code to the 3-digit DfE number (CIN `LEA`, the UPN prefix and
`ref_la_profile.dfe_la_number` must all agree, input contract §0.2). Slough (E06000039) has its real number, 871.
Any other code gets a made-up but stable number in 800-999: 800 + (SHA-256 of the code as an integer) mod 200,
the same rule synth.population uses for UPNs. It may coincide with a real LA's number; it only labels synthetic data.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

KNOWN_LAS: dict[str, tuple[str, str]] = {"E06000039": ("871", "Slough")}
# Every synthetic organisation lives in the Slough-area postcodes of synth.codes, so the office is in SL1 too.
OFFICE_POSTCODE = "SL1 2EL"


@lru_cache(maxsize=1024)
def dfe_la_number(la_code: str) -> str:
    """The 3-digit DfE LA number of `la_code`: the real one when known, else the documented stable fallback."""
    known = KNOWN_LAS.get(la_code)
    if known:
        return known[0]
    return str(800 + int(hashlib.sha256(la_code.encode()).hexdigest(), 16) % 200)


def la_name(la_code: str) -> str:
    known = KNOWN_LAS.get(la_code)
    return known[1] if known else f"Synthetic LA {la_code}"


def organisation_name(la_code: str) -> str:
    """The delivering organisation (a children's company for Slough, the council's service otherwise)."""
    if la_code == "E06000039":
        return "Slough Children First"
    return f"{la_name(la_code)} Children's Services"
