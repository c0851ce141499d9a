"""SSD-shaped case-system extracts (input contract §2) cut from the same simulated truth as the 903, CIN and HR
files: people, teams, workers, allocations, contacts, visits, care leavers, the recommended SSD tables, and the optional
CIN-census alternatives (referrals, assessments, S47 enquiries, CIN and CP plans) and CP and CLA reviews."""

from synth.ssd.exports import write_ssd_exports
from synth.ssd.truth import Casework, build_casework

__all__ = ["Casework", "build_casework", "write_ssd_exports"]
