"""Reference inputs of a synthetic organisation (input contract §5): LA profile (with the one `dfe_la_number`
mapping), an ONSPD extract covering every generated postcode, bank holidays, chart-of-accounts maps, Ofsted lists,
population and code maps.

`write_reference_exports`, `REF_COLUMNS` and `school_pool` load lazily: the workforce and finance packages use the
bank holidays and postcodes of this package, and the reference writer uses theirs.
"""

from __future__ import annotations

from typing import Any

from synth.reference.bank_holidays import england_and_wales, gov_uk_json
from synth.reference.la import dfe_la_number
from synth.reference.postcodes import centroid, generator_postcodes

_LAZY = frozenset({"REF_COLUMNS", "school_pool", "write_reference_exports"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from synth.reference import exports

        return getattr(exports, name)
    raise AttributeError(name)


__all__ = [
    "REF_COLUMNS",
    "centroid",
    "dfe_la_number",
    "england_and_wales",
    "generator_postcodes",
    "gov_uk_json",
    "school_pool",
    "write_reference_exports",
]
