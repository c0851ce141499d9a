"""Property-based fuzzing of the JSON the extract layer reads: the delivery manifest `_delivery.json` (input contract
§0.3: F08 rejects the delivery, F09 a listed file that is absent or differs) and the gov.uk `bank-holidays.json`
(§5, landed as ref_bank_holidays). Each run goes through `extract_all`, so the delivery-level pass reads the
manifest too; every outcome is held to `fuzz_support.assert_accounted` and every F08/F09 line must be one line.
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import event, given
from hypothesis import strategies as st

from extract import extract_all
from tests.extract.builders import LA, episodes_csv
from tests.extract.family_builders import deliver_to
from tests.extract.fuzz_support import (
    EXTREME,
    assert_accounted,
    csv_rows_in,
    fresh_root,
    mutated_bytes,
    one_in,
    outcome_kind,
)

# JSON values of every kind, small, with the extreme texts that have broken readers.
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8) | EXTREME
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner))
PATHS = st.sampled_from(["903/episodes.csv", "./903/episodes.csv", f"{LA}/2025-10/903/episodes.csv", "903/absent.csv"])
# JSON that json.loads cannot answer with a JSONDecodeError: nesting past the stack, a number past 4300 digits.
RAW = st.sampled_from([b"[" * 100_000, b'{"contract_version": ' + b"9" * 5000 + b"}", b"\xef\xbb\xbf{}", b"", b"null"])
ODD_PATHS = st.sampled_from(["a" * 5000, "903/\x00.csv", "../../etc/passwd", "903/line\nbreak.csv", "", "/"])


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    """A manifest near a valid one (keys of §0.3, some values odd, some entries odd), or JSON that is not one."""
    document: dict = {
        "contract_version": draw(st.sampled_from(["1.0", "1.2", "2.0", 1])) if one_in(draw, 4) else "1.0",
        "la_code": LA if not one_in(draw, 8) else draw(VALUES),
        "reporting_month": "2025-10" if not one_in(draw, 8) else draw(VALUES),
        "as_at_date": draw(st.sampled_from(["2025-10-31", "2025-11-15", "2025-11-16", "2025-02-30"])),
    }
    if draw(st.booleans()):
        document["collection_year"] = draw(st.sampled_from(["2025-26", "2025-27", 2025]) | VALUES)
    if draw(st.booleans()):
        entries = []
        for _ in range(draw(st.integers(0, 3))):
            entry = {
                "path": draw(ODD_PATHS if one_in(draw, 4) else PATHS),
                "table": draw(st.sampled_from(["episodes", None, 7])),
                "rows": draw(st.sampled_from([49, "49", 0, None])),
                "sha256": draw(st.sampled_from(["", "ab" * 32, None, 5])),
            }
            entries.append(entry if not one_in(draw, 6) else draw(VALUES))
        document["files"] = entries if not one_in(draw, 8) else draw(VALUES)
    for _ in range(draw(st.integers(0, 1))):
        del document[draw(st.sampled_from(sorted(document)))]
    data = json.dumps(document if not one_in(draw, 10) else draw(VALUES)).encode()
    if one_in(draw, 10):
        return draw(RAW)
    return draw(mutated_bytes(data)) if one_in(draw, 5) else data


@given(manifest=manifests())
def test_a_fuzzed_manifest_rejects_its_delivery_in_one_line_or_lets_it_land(manifest: bytes) -> None:
    with fresh_root() as root:
        content = episodes_csv().encode()
        path = deliver_to(root / "inbound", "903", "episodes.csv", content)
        (path.parent.parent / "_delivery.json").write_bytes(manifest)
        outcomes = extract_all(root / "inbound", root / "landing", root / "archive", date(2025, 10, 31))
        [outcome] = [outcome for outcome in outcomes if outcome.source_file.endswith("903/episodes.csv")]
        assert_accounted(root, outcome, csv_rows_in(content), one_issue_per_row=False)
        for other in outcomes:
            assert "\n" not in (other.message or "") and "unexpected error" not in (other.message or ""), other
        event(outcome_kind(outcome))


@st.composite
def bank_holidays(draw: st.DrawFn) -> bytes:
    """gov.uk's layout with odd events (missing fields, wrong types, bad dates), or JSON that is not it."""
    events = []
    for _ in range(draw(st.integers(0, 4))):
        event_ = {"title": draw(st.sampled_from(["Christmas Day", "", None]) | VALUES), "notes": "", "bunting": True}
        event_["date"] = draw(st.sampled_from(["2025-12-25", "2025-02-29", "25/12/2025", None]) | VALUES)
        events.append(event_ if not one_in(draw, 6) else draw(VALUES))
    document = {"england-and-wales": {"division": "england-and-wales", "events": events}}
    if one_in(draw, 6):
        document = draw(VALUES)
    data = json.dumps(document).encode()
    if one_in(draw, 10):
        return draw(RAW)
    return draw(mutated_bytes(data)) if one_in(draw, 5) else data


def _events_in(data: bytes) -> int | None:
    """The england-and-wales events a well-formed document holds (the rows it delivers), else None."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None
    division = document.get("england-and-wales") if isinstance(document, dict) else None
    events = division.get("events") if isinstance(division, dict) else None
    return len(events) if isinstance(events, list) else None


@given(data=bank_holidays(), name=st.sampled_from(["bank-holidays.json", "ref_bank_holidays.json"]))
def test_a_fuzzed_bank_holidays_json_lands_quarantines_or_rejects(data: bytes, name: str) -> None:
    with fresh_root() as root:
        deliver_to(root / "inbound", "ref", name, data, month="la-ref")
        [outcome] = extract_all(root / "inbound", root / "landing", root / "archive", date(2025, 10, 31))
        assert_accounted(root, outcome, _events_in(data), one_issue_per_row=False)
        event(outcome_kind(outcome))
