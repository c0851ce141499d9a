"""Small CIN XML and generic-family CSV deliveries for the extract tests (synthetic ids, no names).

Built from the input contract, not from `synth/`: the CIN documents follow §1.2.2 element order and the CSVs the
table layouts of §2-§5.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from extract import FileOutcome
from tests.extract.builders import LA, run


def deliver_to(inbound: Path, folder: str, name: str, content: str | bytes, month: str = "2025-10") -> Path:
    """Write one file into `inbound/<LA>/<month>/<folder>/` (month `history/<CY>` -> `history/<folder>/<CY>`)."""
    if month.startswith("history/"):
        target = inbound / LA / "history" / folder / month.removeprefix("history/")
    elif month == "la-ref":
        target = inbound / LA / "ref"
    else:
        target = inbound / LA / month / folder
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def cin_child(
    child_id: str = "C001",
    *,
    sex: str = "<Sex>F</Sex>",
    details: str | None = None,
    disabilities: str = "",
) -> str:
    """One Child: one open referral with no modules unless `details` replaces its CINdetails."""
    if details is None:
        details = cin_details()
    return (
        "    <Child>\n"
        f"      <ChildIdentifiers><LAchildID>{child_id}</LAchildID><PersonBirthDate>2015-05-01</PersonBirthDate>"
        f"{sex}</ChildIdentifiers>\n"
        f"      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>{disabilities}</ChildCharacteristics>\n"
        f"{details}"
        "    </Child>\n"
    )


def cin_details(referral: str = "2025-05-01", modules: str = "", after_nfa: str = "", source: str = "1A") -> str:
    return (
        f"      <CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>{source}</ReferralSource>"
        f"<PrimaryNeedCode>N1</PrimaryNeedCode>{modules}<ReferralNFA>0</ReferralNFA>{after_nfa}</CINdetails>\n"
    )


def cp_plan(start: str = "2025-06-01", end: str = "", reviews: tuple[str, ...] = ()) -> str:
    end_element = f"<CPPendDate>{end}</CPPendDate>" if end else ""
    review_block = (
        "<Reviews>" + "".join(f"<CPPreviewDate>{day}</CPPreviewDate>" for day in reviews) + "</Reviews>"
        if reviews
        else ""
    )
    return (
        f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>{end_element}"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>"
        f"<NumberOfPreviousCPP>1</NumberOfPreviousCPP>{review_block}</ChildProtectionPlans>"
    )


def cin_xml(*children: str, lea: str = "871", reference_date: str | None = "2026-03-31", prolog: str = "") -> str:
    """A CIN Message; `prolog` goes between the XML declaration and the root (a DOCTYPE, for the attacks)."""
    details = f"<ReferenceDate>{reference_date}</ReferenceDate>" if reference_date else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{prolog}"
        "<Message>\n"
        "  <Header>\n"
        f"    <CollectionDetails><Collection>CIN</Collection>{details}</CollectionDetails>\n"
        f"    <Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA></Source>\n"
        "  </Header>\n"
        "  <Children>\n"
        f"{''.join(children)}"
        "  </Children>\n"
        "</Message>\n"
    )


def landed(root: Path, outcome: FileOutcome, family: str, folder: str) -> list[dict]:
    path = root / "landing" / family / folder / f"la_code={outcome.la_code}" / f"{outcome.load_id}.parquet"
    return pq.read_table(path).to_pylist()


def issues(root: Path, folder: str, outcome: FileOutcome) -> list[tuple]:
    """(source_row, field, rule_code) of the load's `_warnings` or `_quarantine/rows` file."""
    path = root / "landing" / folder / f"{outcome.load_id}.parquet"
    rows = pq.read_table(path).to_pylist() if path.is_file() else []
    return [(row["source_row"], row["field"], row["rule_code"]) for row in rows]


def landing_files(root: Path) -> list[str]:
    landing = root / "landing"
    return sorted(path.relative_to(landing).as_posix() for path in landing.rglob("*") if path.is_file())


def rejected_alone(root: Path, path: Path, rule_code: str) -> str:
    """Extract `path`; assert it is rejected with exactly `rule_code` and that nothing but its ledger row and its file
    quarantine line was written. Returns the message."""
    outcome = run(root, path)
    assert (outcome.outcome, outcome.rows_landed) == ("rejected", 0), outcome
    assert outcome.message.startswith(f"{outcome.source_file}: {rule_code} "), outcome.message
    assert "\n" not in outcome.message
    assert landing_files(root) == [f"_ledger/{outcome.load_id}.parquet", f"_quarantine/files/{outcome.load_id}.json"]
    return outcome.message
