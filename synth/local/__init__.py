"""Local tables (input contract §3: case and staff supervision, audits, PEPs, visits to care leavers, strategy
discussions) from the same casework truth as the SSD extracts (synth.ssd)."""

from synth.local.exports import write_local_exports
from synth.local.tables import LocalParams

__all__ = ["LocalParams", "write_local_exports"]
