"""Which published months a corrected re-delivery or a late file makes stale, what their manifests record, and the
order the republication and a backfill run in; over hand-made 903 deliveries, extracted for real (no dbt build: the
build and publish steps are recorded instead, the e2e test runs them for real)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from extract import extract_all
from pipeline import republish, steps
from pipeline.settings import Settings
from publish.manifest import corrections, input_files, write_manifest
from publish.release import publish_release
from tests.extract.builders import LA, deliver, episodes_csv, header_csv
from tests.extract.family_builders import deliver_to
from tests.helpers import tree_snapshot

MONTHS = {"2025-08": date(2025, 8, 31), "2025-09": date(2025, 9, 30), "2025-10": date(2025, 10, 31)}
EPISODES = "E06000039_903_2025-26_episodes.csv"
HEADER = "E06000039_903_2025-26_header.csv"
REVIEWS_LATE = "E06000039_903_2025-26_reviews.csv"


def _deliver_month(inbound: Path, month: str, children: int) -> None:
    deliver(inbound, EPISODES, episodes_csv(good=children), month=month)
    deliver(
        inbound, HEADER, header_csv(*[f"C{i:03d},1,01/01/2010,WBRI,,," for i in range(1, children + 1)]), month=month
    )


def _extract(settings: Settings, as_of: date) -> None:
    extract_all(settings.inbound_dir, settings.landing_dir, settings.archive_dir, as_of)


def _publish(settings: Settings, month: str) -> Path:
    """A release whose manifest lists the month's inputs as the ledger has them now (the real write_manifest)."""
    as_of = MONTHS[month]
    candidate = settings.work_dir / "candidates" / month
    candidate.mkdir(parents=True, exist_ok=True)
    (candidate / "tsg_dataset.csv").write_text(f"figures of {month}\n")
    write_manifest(
        candidate,
        la_code=LA,
        as_of=as_of,
        inputs=input_files(settings.landing_dir, LA, as_of),
        dbt_summary={},
        checkpoint_summary={},
        corrected=corrections(settings.landing_dir, LA, as_of),
    )
    return publish_release(candidate, settings.publish_dir, LA, month)


@pytest.fixture
def published(data_dir: Path) -> Settings:
    """August (3 children), September (4) and October (5) delivered, extracted and published."""
    settings = Settings.from_env()
    for month, children in (("2025-08", 3), ("2025-09", 4), ("2025-10", 5)):
        _deliver_month(settings.inbound_dir, month, children)
    _extract(settings, MONTHS["2025-10"])
    for month in MONTHS:
        _publish(settings, month)
    return settings


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_nothing_is_stale_after_a_rerun_that_lands_nothing_new(published: Settings) -> None:
    _extract(published, MONTHS["2025-10"])  # the same files again: every outcome `unchanged`
    assert republish.stale_publications(published, MONTHS["2025-10"]) == []


def test_a_corrected_redelivery_makes_its_month_and_every_later_one_stale(published: Settings) -> None:
    # September's episodes re-delivered with a fifth child: a new load supersedes the old one.
    deliver(published.inbound_dir, EPISODES, episodes_csv(good=5), month="2025-09")
    _extract(published, MONTHS["2025-10"])
    # September's inputs changed, and October's manifest lists every delivery up to October, so it is stale too;
    # August's inputs (deliveries up to August) did not change.
    assert republish.stale_publications(published, MONTHS["2025-10"]) == [(LA, "2025-09"), (LA, "2025-10")]
    # Asked up to September (a republication by as_of), October is out of range.
    assert republish.stale_publications(published, MONTHS["2025-09"]) == [(LA, "2025-09")]

    [correction] = corrections(published.landing_dir, LA, MONTHS["2025-09"])
    assert correction["source_file"] == f"{LA}/2025-09/903/{EPISODES}"
    assert correction["old_sha256"] == _sha(episodes_csv(good=4))  # the bytes first delivered
    assert correction["new_sha256"] == _sha(episodes_csv(good=5))
    assert (correction["old_rows_landed"], correction["new_rows_landed"]) == (4, 5)
    assert (correction["new_outcome"], correction["reporting_month"], correction["table"]) == (
        "landed",
        "2025-09",
        "episodes",
    )
    assert corrections(published.landing_dir, LA, MONTHS["2025-10"]) == [correction]
    assert corrections(published.landing_dir, LA, MONTHS["2025-08"]) == []  # before the corrected month


def test_a_late_file_makes_its_month_stale(published: Settings) -> None:
    reviews = "CHILD,DOB,REVIEW,REVIEW_CODE\nC001,01/01/2010,01/09/2025,PN1\n"
    deliver(published.inbound_dir, REVIEWS_LATE, reviews, month="2025-09")
    _extract(published, MONTHS["2025-10"])
    assert republish.stale_publications(published, MONTHS["2025-10"]) == [(LA, "2025-09"), (LA, "2025-10")]
    assert corrections(published.landing_dir, LA, MONTHS["2025-10"]) == []  # late, not a correction


def test_republication_runs_oldest_first_and_leaves_earlier_months_alone(
    published: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(steps, "build_warehouse", lambda s, as_of: calls.append(("build", str(as_of))) or {"dbt": {}})
    monkeypatch.setattr(steps, "ensure_warehouse", lambda s, as_of: calls.append(("ensure", str(as_of))) or {})

    def publish_month(settings: Settings, as_of: date, la_code: str, dbt: dict) -> dict:
        calls.append(("publish", str(as_of)))
        month = as_of.strftime("%Y-%m")
        return {"la_code": la_code, "reporting_month": month, "published": str(_publish(settings, month))}

    monkeypatch.setattr(steps, "publish_month", publish_month)
    august = tree_snapshot(published.publish_dir / "releases" / LA / "2025-08")
    old_september = (published.publish_dir / LA / "2025-09").resolve()
    deliver(published.inbound_dir, EPISODES, episodes_csv(good=5), month="2025-09")
    _extract(published, MONTHS["2025-10"])

    # The nightly run of October: September first (strictly before October), October is built by the run itself.
    republish.republish_stale(published, MONTHS["2025-10"], before=True, restore=False)
    assert calls == [("build", "2025-09-30"), ("publish", "2025-09-30")]
    # The scheduled publication DAG: every stale month up to October, then the warehouse back on October.
    calls.clear()
    republish.republish_stale(published, MONTHS["2025-10"])
    assert calls == [("build", "2025-10-31"), ("publish", "2025-10-31"), ("ensure", "2025-10-31")]
    assert republish.stale_publications(published, MONTHS["2025-10"]) == []

    # August untouched; September's earlier release kept for audit beside the new one, which records the correction.
    assert tree_snapshot(published.publish_dir / "releases" / LA / "2025-08") == august
    new_september = (published.publish_dir / LA / "2025-09").resolve()
    assert old_september.is_dir() and new_september != old_september
    manifest = json.loads((new_september / "manifest.json").read_text())
    assert [c["source_file"] for c in manifest["corrections"]] == [f"{LA}/2025-09/903/{EPISODES}"]


def test_a_backfill_runs_each_month_in_order_as_a_run_on_its_date(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(republish, "run_month", lambda s, as_of, report: calls.append(str(as_of)) or [])
    republish.backfill(Settings.from_env(), date(2025, 11, 30), date(2026, 2, 28), print)
    assert calls == ["2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28"]


def test_months_between_and_parse_month() -> None:
    assert republish.parse_month("2024-02") == date(2024, 2, 29)
    assert republish.parse_month("2024-02-29") == date(2024, 2, 29)
    assert republish.months_between(date(2025, 12, 31), date(2026, 1, 31)) == [date(2025, 12, 31), date(2026, 1, 31)]
    with pytest.raises(ValueError, match="runs forwards"):
        republish.months_between(date(2026, 1, 31), date(2025, 12, 31))
    with pytest.raises(ValueError, match="YYYY-MM"):
        republish.parse_month("2025-13")


def test_a_redelivered_reference_file_makes_every_published_month_stale(published: Settings) -> None:
    # Reference files (`<la>/ref/`) carry no reporting month: the build reads the ones landed last, so they are
    # inputs of every month. A corrected ONSPD extract (a centroid moved) changes what every month's distances
    # would be, so August, September and October are all stale, and each one's corrections name the file.
    onspd = "pcds,oseast1m,osnrth1m,oslaua\nSL1 2EL,497000,179000,E06000039\n"
    deliver_to(published.inbound_dir, "ref", "ref_onspd.csv", onspd, month="la-ref")
    _extract(published, MONTHS["2025-10"])
    # A first delivery of a reference file is new input of every month too (a late file, not a correction).
    assert republish.stale_publications(published, MONTHS["2025-10"]) == [(LA, month) for month in MONTHS]
    assert corrections(published.landing_dir, LA, MONTHS["2025-08"]) == []
    for month in MONTHS:
        _publish(published, month)
    assert republish.stale_publications(published, MONTHS["2025-10"]) == []

    corrected = onspd.replace("497000", "497100")
    deliver_to(published.inbound_dir, "ref", "ref_onspd.csv", corrected, month="la-ref")
    _extract(published, MONTHS["2025-10"])
    assert republish.stale_publications(published, MONTHS["2025-10"]) == [(LA, month) for month in MONTHS]
    [correction] = corrections(published.landing_dir, LA, MONTHS["2025-08"])  # the earliest month included
    assert (correction["source_file"], correction["table"], correction["reporting_month"]) == (
        f"{LA}/ref/ref_onspd.csv",
        "ref_onspd",
        None,
    )
    assert (correction["old_sha256"], correction["new_sha256"]) == (_sha(onspd), _sha(corrected))
    assert (correction["old_rows_landed"], correction["new_rows_landed"]) == (1, 1)
