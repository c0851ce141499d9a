"""The machinery that makes a delivery cheap to cut (synth.ssd.lines, synth.ssd.records, the local case supervision
index) gives the bytes a plain cut gives, and the review and strategy-discussion truth follows its rules."""

from __future__ import annotations

import csv
import io
import random
from datetime import date

import numpy as np

from synth.cin.model import CINChild, CPPlan, Referral, Section47
from synth.local.tables import LocalCut, LocalParams
from synth.ssd.lines import render
from synth.ssd.records import NEVER, People, Records
from synth.ssd.reviews import cp_reviews
from synth.ssd.strategy import strategy_discussions
from tests.synth.ssd.conftest import AS_OF, WINDOW_MONTHS


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def test_render_writes_what_csv_writer_writes():
    rng = random.Random(7)
    cells = ["", "a", "W001", ",", '"', 'x"y', "a,b", "\n", "\r", " ", '{"NFA_FLAG":"Y","A":"N"}', "é"]
    for _ in range(20_000):
        row: list = [rng.choice(cells) + rng.choice(cells) for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.02:
            row.append(rng.choice([None, 3, 2.5]))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(row)
        assert render(row) == buffer.getvalue(), row


def test_records_pick_the_delivery_and_render_once_per_stage():
    # Three records: an episode 10..20 (its end known from day 20), an open one from 5, a dated event on 30.
    calls: list[tuple[int, int]] = []

    def row(index: int, as_at: int) -> list[str]:
        calls.append((index, as_at))
        return [str(index), "ended" if index == 0 and as_at >= 20 else "open"]

    records = Records([10, 5, 30], [20, None, 30], row, [[20, None, 30]], np.array([0, 1, 0]))
    people = People({"A": 0, "B": 1})
    # as at 15, window from 12: the episode (10 <= 15, 20 >= 12) and the open one; the event is in the future.
    assert records.lines(12, 15, people) == ["0,open\n", "1,open\n"]
    assert "A" in people and "B" in people
    # as at 25, window from 21: the episode ended on 20, before the window: out. The open one is reused (its stage
    # has not changed), so it is not rendered again.
    assert records.lines(21, 25) == ["1,open\n"]
    # as at 35, window from 19: the episode is back (ended inside the window) in its second stage, and the event.
    assert records.lines(19, 35) == ["0,ended\n", "1,open\n", "2,open\n"]
    assert calls == [(0, 15), (1, 15), (0, 35), (2, 35)]
    assert date(2100, 1, 1).toordinal() < NEVER


def test_records_drop_a_record_from_its_until_day():
    records = Records([10], [None], lambda index, as_at: ["x"], until=[20])
    assert len(records.selected(0, 19)) == 1 and len(records.selected(0, 20)) == 0


def test_case_supervision_reuses_only_what_a_replay_would_draw(organisation):
    """Cases that started in the window come from the draws made once; the others are replayed. Both together
    must equal replaying every case for the delivery (the plain algorithm)."""
    for as_at in (AS_OF, date(2026, 9, 30)):
        year, month = divmod(as_at.year * 12 + as_at.month - 1 - WINDOW_MONTHS, 12)
        cut = LocalCut(organisation.casework, as_at, date(year, month + 1, 1), LocalParams())
        fast = cut.case_supervision()
        index = organisation.casework.derived["local-case-sup"]
        window, day = cut.window, cut.as_at
        chosen = np.flatnonzero((index.starts <= day) & (index.lasts >= window)).tolist()
        plain = [line for i in chosen for _, line in index.draw(index.rows[i], window, day)]
        assert fast == plain
        assert any(index.rows[i].start < window for i in chosen)  # some cases were replayed


def test_cp_reviews_are_due_3_then_6_months_after_the_last():
    plan = CPPlan("C1-P2", _day("2026-01-15"), None, "NEG", "NEG", 0, [_day("2026-04-14"), _day("2026-10-20")])
    referral = Referral("C1-R1", _day("2026-01-02"), "6", "N1", False, None, "", cp_plans=[plan])
    child = CINChild("C1", "F", _day("2015-06-01"), "WBRI", "UN1", (), referrals=[referral])
    reviews = cp_reviews([child], 42, "E06000039", _day("2026-10-31"))
    # RV1 due 3 months after the start (15 Jan -> 15 Apr), held 14 Apr; RV2 due 6 months after RV1 (14 Oct), held
    # 20 Oct; RV3 scheduled from RV2, due 20 Apr 2027, not held: it stays while the plan is open (until None).
    assert [(r.review_id, r.scheduled, r.due, r.held, r.until) for r in reviews] == [
        ("C1-P2-RV1", _day("2026-01-15"), _day("2026-04-15"), _day("2026-04-14"), None),
        ("C1-P2-RV2", _day("2026-04-14"), _day("2026-10-14"), _day("2026-10-20"), None),
        ("C1-P2-RV3", _day("2026-10-20"), _day("2027-04-20"), None, None),
    ]
    assert all(r.participation in {f"PN{n}" for n in range(1, 8)} for r in reviews[:2])  # aged 10: not PN0


def test_a_strategy_discussion_starts_every_enquiry():
    start = _day("2026-03-11")  # a Wednesday
    children = [
        CINChild(f"C{n}", "M", _day("2024-01-01"), "WBRI", "UN1", (), referrals=[
            Referral(f"C{n}-R1", _day("2026-03-02"), "6", "N1", False, None, "",
                     section47s=[Section47(f"C{n}-S3", start, _day("2026-04-01"), None, _day("2026-03-25"))]),
        ])
        for n in range(1, 41)
    ]  # fmt: skip
    found = strategy_discussions(children, 42, "E06000039")
    assert [d.strategy_id for d in found] == [f"C{n}-S3-SD" for n in range(1, 41)]
    assert {d.outcome for d in found} == {"S47"}
    # On the start day or up to 3 working days before: Fri 6 to Wed 11 March (no bank holiday in between).
    assert {d.day for d in found} <= {_day(f"2026-03-{day:02d}") for day in (6, 9, 10, 11)}
    assert {d.day for d in found} & {_day("2026-03-11")} and {d.day for d in found} - {_day("2026-03-11")}
    assert {d.education for d in found} == {None}  # aged 2: education is not relevant
