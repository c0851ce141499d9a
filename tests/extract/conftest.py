"""Extract tests run strict: an unexpected exception is a test failure, not a quietly rejected file.

Fuzzing profiles (hypothesis, `test_fuzz_*.py`): `csc` by default, a fixed sequence of examples (derandomized, no
example database) so CI is repeatable and quick; `csc-deep` for a longer random search (`HYPOTHESIS_PROFILE=csc-deep`
or `--hypothesis-profile=csc-deep`; docs/operations.md).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

from extract import csv_stream
from extract.extractor import STRICT_ENV


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STRICT_ENV, "1")


@pytest.fixture(autouse=True)
def _streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """`CSC_TEST_STREAM_ROWS=N`: every CSV, however small, is landed batch by batch, N records a batch
    (`extract.csv_stream`), so the whole suite checks that streaming changes no outcome, row or finding."""
    rows = os.environ.get("CSC_TEST_STREAM_ROWS")
    if rows:
        monkeypatch.setattr(csv_stream, "STREAM_BYTES", -1)
        monkeypatch.setattr(csv_stream, "BATCH_ROWS", int(rows))


_FUZZ = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],  # no "explain": minutes
}
settings.register_profile("csc", max_examples=20, derandomize=True, **_FUZZ)
settings.register_profile("csc-deep", max_examples=500, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "csc"))
