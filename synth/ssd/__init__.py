"""SSD-shaped case-system extracts (input contract §2) cut from the same simulated truth as the 903, CIN and HR
files: people, teams, workers, allocations, contacts, visits, care leavers and the recommended SSD tables."""

from synth.ssd.exports import write_ssd_exports
from synth.ssd.truth import Casework, build_casework

__all__ = ["Casework", "build_casework", "write_ssd_exports"]
