"""Extract tests run strict: an unexpected exception is a test failure, not a quietly rejected file."""

from __future__ import annotations

import pytest

from extract.extractor import STRICT_ENV


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STRICT_ENV, "1")
