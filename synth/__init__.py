"""Synthetic exports of one organisation (local authority): coherent lives of children and staff, cut into the
monthly deliveries, history returns and reference files of the input contract."""

from synth.organisation import generate_organisation
from synth.params import SynthParams

__all__ = ["SynthParams", "generate_organisation"]
