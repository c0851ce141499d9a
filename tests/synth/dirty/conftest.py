"""The dirt tests' organisation: generated once per session, copied for each test that makes it dirty."""

from __future__ import annotations

import pytest

from tests.synth.dirty.support import Organisation, generated_organisation


@pytest.fixture(scope="session")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    return generated_organisation(tmp_path_factory.mktemp("organisation"))
