"""Coherent lives: dates in order, children looked after are children in need, deterministic output."""

from __future__ import annotations

import itertools
from datetime import date

from synth.calendar import anniversary
from synth.cin.calendar import add_working_days
from synth.cin.census import simulate_for_span, write_cin_exports
from synth.cin.journeys import CIN_SERIAL_BASE
from synth.cin.looked_after import periods_of_care
from synth.cin.params import CINParams
from tests.helpers import tree_snapshot
from tests.synth.cin.conftest import AS_OF, HISTORY_YEARS, LA, MONTHS, SEED, Organisation, population


def test_dates_are_in_order_for_every_child(organisation: Organisation) -> None:
    for child in organisation.cin:
        previous_closure = None
        for referral in child.referrals:
            assert referral.date >= child.dob - 280  # at most 40 weeks before birth (rule 8606)
            assert referral.closure is not None and referral.date <= referral.closure
            assert referral.closure < anniversary(child.dob, 18)
            if previous_closure is not None:
                assert referral.date > previous_closure  # episodes never overlap
            previous_closure = referral.closure
            for assessment in referral.assessments:
                assert referral.date <= assessment.start <= assessment.authorised <= referral.closure
                assert assessment.factors
            for s47 in referral.section47s:
                assert referral.date <= s47.start < s47.concluded <= referral.closure
                assert s47.icpc_target == add_working_days(s47.start, 15)
                assert s47.icpc is None or s47.icpc == s47.concluded
            starts = {s47.icpc for s47 in referral.section47s}
            plans = sorted([(p.start, p.end) for p in referral.cp_plans + referral.cin_plans])
            for (_, end), (start, _) in itertools.pairwise(plans):
                assert end <= start  # CIN and CP plans never overlap (rules 4001, 4014-4017, 8940)
            for plan in referral.cp_plans:
                assert plan.start in starts  # a CP plan starts at its ICPC (rule 2885)
                assert plan.start < plan.end <= referral.closure
                assert all(plan.start < day <= plan.end for day in plan.reviews)
            for plan in referral.cin_plans:
                assert referral.date <= plan.start < plan.end <= referral.closure
        assert not child.referrals or child.contacts


def test_every_child_looked_after_has_a_referral_before_care_and_an_open_episode(organisation: Organisation) -> None:
    by_id = {child.child_id: child for child in organisation.cin}
    checked = 0
    for child in organisation.children:
        cin = by_id[child.child_id]
        assert (cin.dob, cin.sex, cin.ethnic, cin.upn) == (child.dob, child.sex, child.ethnic, child.upn)
        for start, end, *_ in periods_of_care(child):
            # CIN work stops before the 18th birthday, the day staying put (E17) ends the period of care.
            last = min(end, anniversary(child.dob, 18) - 1)
            covering = [r for r in cin.referrals if r.date <= start and r.closure >= last]
            assert len(covering) == 1, child.child_id
            assert covering[0].assessments  # assessed, at the latest just after an emergency entry
            checked += 1
        if periods_of_care(child):
            assert cin.referrals[0].date <= periods_of_care(child)[0][0]
    assert checked > 1500


def test_new_children_in_need_have_ids_of_their_own(organisation: Organisation) -> None:
    looked_after = {child.child_id for child in organisation.children}
    ids = [child.child_id for child in organisation.cin]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    assert len(ids) - len(looked_after) > 10_000
    assert CIN_SERIAL_BASE > 480 * 100  # 903 serials: (year - 2000) * 12 + month - 1 months of 100 serials


def test_the_same_seed_gives_byte_identical_files(organisation: Organisation, tmp_path) -> None:
    write_cin_exports(tmp_path, LA, AS_OF, population(), SEED, MONTHS, HISTORY_YEARS)
    assert tree_snapshot(tmp_path / LA) == tree_snapshot(organisation.inbound / LA)


def test_a_longer_span_leaves_earlier_children_unchanged(organisation: Organisation) -> None:
    later = simulate_for_span(LA, date(2026, 11, 30), population(), SEED, MONTHS, HISTORY_YEARS, CINParams())
    by_id = {child.child_id: child for child in later}
    as_of = AS_OF.toordinal()
    assert len(later) > len(organisation.cin)
    for child in organisation.cin[:3000]:
        known = [referral for referral in by_id[child.child_id].referrals if referral.date <= as_of]
        assert known == [referral for referral in child.referrals if referral.date <= as_of]
