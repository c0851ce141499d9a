"""Several organisations in one warehouse (issue 9 item 4): each one's figures are those of a build with it alone.

Three synthetic organisations, every family of the input contract:
    A  E06000039  synth seed 7
    B  E06000099  A's delivery byte for byte, only its la_code changed: every child, worker, team and load id of B
                  also exists in A, so a join that forgets `la_code` anywhere matches A's rows with B's and doubles
                  or mixes their figures
    C  E09000001  synth seed 8, a different organisation
One full build (the pipeline's own step: every model and data test) over the three, then each organisation's
published figures are compared with a models-only build over A alone and over C alone (B alone is A alone with
B's la_code). Publication then runs for every organisation in the warehouse, each through its own gate.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline import steps
from pipeline.cli import main
from pipeline.dbt_runner import run_dbt
from pipeline.settings import Settings
from synth import generate_organisation

pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("e2e_many_organisations")]

AS_OF = date(2026, 10, 31)
# B's code appears nowhere in A's files: A's postcode directory places some postcodes in its real neighbour
# E06000040, and under that code B would count those placements as in its own area.
LA_A, LA_B, LA_C = "E06000039", "E06000099", "E09000001"
PUBLISHED_MODELS = ("pub_tsg_dataset", "pub_tsg_series")
REFERENCE_SELECTION = ("+pub_tsg_dataset", "+pub_tsg_series")
SIZE = 0.3  # a third of a Slough-sized organisation: every mart has figures, the build stays small


@contextmanager
def _data_dir(root: Path) -> Iterator[Settings]:
    """The pipeline's settings for a world rooted at `root` (CSC_DATA_DIR), restored afterwards."""
    previous = os.environ.get("CSC_DATA_DIR")
    os.environ["CSC_DATA_DIR"] = str(root)
    try:
        yield Settings.from_env()
    finally:
        if previous is None:
            os.environ.pop("CSC_DATA_DIR", None)
        else:
            os.environ["CSC_DATA_DIR"] = previous


def _relabel(source: Path, target: Path, old: str, new: str) -> None:
    """Copy an organisation's inbound folder as another organisation's: the la_code in every path and file."""
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        destination = target / path.relative_to(source).as_posix().replace(old, new)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))


def _extract(settings: Settings) -> None:
    outcomes = steps.extract_all_files(settings, AS_OF)
    steps.check_mandatory_inputs(outcomes, AS_OF)


def _build_models_only(settings: Settings) -> None:
    """The published models and everything upstream of them, without the data tests (the combined build runs
    them): the reference build an organisation's figures are compared with."""
    steps._ensure_landing_tables(settings)
    result = run_dbt(
        ["build", "--resource-type", "model", "--resource-type", "seed", "--select", *REFERENCE_SELECTION],
        as_of=AS_OF,
        target="duckdb",
        target_path=settings.work_dir / "dbt_target",
        env_overrides=steps._dbt_env(settings, settings.warehouse_path),
    )
    assert result.success, result.failures or result.log_tail


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Settings]:
    """The combined world (A, B and C, built and published by the pipeline) and the worlds of A and C alone."""
    root = tmp_path_factory.mktemp("many_organisations")
    generated = root / "generated"
    generate_organisation(generated, LA_A, AS_OF, seed=7, months=1, history_years=1, size=SIZE)
    generate_organisation(generated, LA_C, AS_OF, seed=8, months=1, history_years=1, size=SIZE)
    _relabel(generated / LA_A, generated / LA_B, LA_A, LA_B)
    layout = {"combined": (LA_A, LA_B, LA_C), LA_A: (LA_A,), LA_C: (LA_C,)}
    result = {}
    for name, la_codes in layout.items():
        with _data_dir(root / name) as settings:
            for la_code in la_codes:
                shutil.copytree(generated / la_code, settings.inbound_dir / la_code)
            _extract(settings)
            if name == "combined":
                steps.build_warehouse(settings, AS_OF)
                assert main(["publish", "--as-of", AS_OF.isoformat()]) == 0
            else:
                _build_models_only(settings)
            result[name] = settings
    return result


def _rows(settings: Settings, model: str, la_code: str) -> list[tuple]:
    """The organisation's rows of a published model, every column but the load ids (they hash the la_code),
    la_code and grain_key as 'LA', sorted."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        schema = connection.execute(
            "select table_schema from information_schema.tables where table_name = ?", [model]
        ).fetchone()[0]
        columns = [
            name
            for (name,) in connection.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [model],
            ).fetchall()
            if name != "source_load_ids"
        ]
        select = ", ".join(
            f"case when {name} = ? then 'LA' else {name} end" if name in ("la_code", "grain_key") else name
            for name in columns
        )
        params = [la_code] * sum(name in ("la_code", "grain_key") for name in columns) + [la_code]
        return sorted(
            connection.execute(f'select {select} from "{schema}".{model} where la_code = ?', params).fetchall(),
            key=repr,
        )


@pytest.mark.parametrize(("la_code", "alone"), [(LA_A, LA_A), (LA_B, LA_A), (LA_C, LA_C)])
@pytest.mark.parametrize("model", PUBLISHED_MODELS)
def test_each_organisation_has_the_figures_of_a_build_with_it_alone(
    worlds: dict[str, Settings], model: str, la_code: str, alone: str
) -> None:
    combined = _rows(worlds["combined"], model, la_code)
    assert combined == _rows(worlds[alone], model, alone)


def test_the_comparison_is_not_vacuous(worlds: dict[str, Settings]) -> None:
    """The organisations have real figures, and A and C differ: equal datasets prove something."""
    figures = {la: _rows(worlds["combined"], "pub_tsg_dataset", la) for la in (LA_A, LA_C)}
    valued = [row for row in figures[LA_A] if row[11] is not None]  # value, the 12th column
    assert len(valued) >= 20
    assert figures[LA_A] != figures[LA_C]


def test_every_organisation_is_published_from_the_one_build(worlds: dict[str, Settings]) -> None:
    settings = worlds["combined"]
    for la_code in (LA_A, LA_B, LA_C):
        public = settings.publish_dir / la_code / "2026-10"
        assert public.is_symlink(), la_code
        with duckdb.connect() as connection:
            published = connection.execute(
                f"select distinct la_code from read_parquet('{public / 'tsg_dataset.parquet'}')"
            ).fetchall()
        assert published == [(la_code,)]
    comparison = settings.publish_dir / "_comparison" / "2026-10" / "tsg_comparison.parquet"
    with duckdb.connect() as connection:
        compared = connection.execute(
            f"select distinct la_code from read_parquet('{comparison}') order by 1"
        ).fetchall()
    assert compared == [(LA_A,), (LA_B,), (LA_C,)]
