"""The synthetic organisation's staff: teams, funded posts, employees and agency workers joining and leaving,
sickness absence, and the HR exports (input contract §4.1).

`build_workforce(seed, la_code, as_of)` is deterministic and prefix-stable: the span starts on a fixed date
(1 April 2012, or earlier for early `as_of`), so a later `as_of` only adds history. Case allocation (SSD) draws
its social workers from `social_worker_pool`.
"""

from synth.workforce.absence import Absence
from synth.workforce.establishment import Post, Team
from synth.workforce.exports import HR_COLUMNS, write_workforce_exports
from synth.workforce.params import WorkforceParams
from synth.workforce.pool import build_workforce, social_worker_pool
from synth.workforce.staffing import Spell, Workforce

__all__ = [
    "HR_COLUMNS",
    "Absence",
    "Post",
    "Spell",
    "Team",
    "Workforce",
    "WorkforceParams",
    "build_workforce",
    "social_worker_pool",
    "write_workforce_exports",
]
