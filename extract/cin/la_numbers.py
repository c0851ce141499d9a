"""DfE LA numbers (the 3-digit `LEA` of the CIN census header), keyed by ONS/GSS LA code.

Input contract §0.2 and §1.2.1: `Header/Source/LEA` must equal `ref_la_profile.dfe_la_number`. Until the landed
`ref_la_profile` is read at extract time, this small lookup is the source; it MUST agree with that table (and with the
synthetic generator's `synth/reference/la.py::dfe_la_number`, which extract never imports). Add an LA here when it
starts delivering CIN files; an LA missing from the table has its CIN files rejected with F06 and a line saying so.
"""

from __future__ import annotations

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
