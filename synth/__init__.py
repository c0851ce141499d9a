"""Synthetic SSDA903 exports of one organisation (local authority): coherent lives in care, cut into the
monthly in-year deliveries and history returns of the input contract."""

from synth.organisation import generate_organisation
from synth.params import SynthParams

__all__ = ["SynthParams", "generate_organisation"]
