"""The local tests use the organisation the SSD tests build (one build per test process)."""

from __future__ import annotations

import pytest

from tests.synth.ssd.conftest import Organisation, shared_organisation


@pytest.fixture(scope="session")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    return shared_organisation(tmp_path_factory)
