"""The true children-in-need lives of one organisation, as plain dataclasses.

Dates are proleptic ordinals (`date.toordinal()`). Every date is the TRUE date, which may lie after any extract's
as_at date: the census cut (synth.cin.census) hides what is not known yet. These objects are the single source of
truth for the CIN census XML and, later, the SSD-shaped tables (contacts, referrals, assessments, S47, plans).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Contact:
    """A contact at the front door about the child; `referral` says whether it became a CIN referral."""

    contact_id: str
    received: int
    decided: int  # the front-door decision (b01: within 1 working day of `received`)
    source: str  # ReferralSource code of whoever made the contact
    referral: bool
    outcome: str  # "REFERRAL", "NFA", "EARLY_HELP" or "INFORMATION"


@dataclass(slots=True)
class Assessment:
    """A child and family (single) assessment; `factors` are the AssessmentFactors found."""

    assessment_id: str
    start: int  # AssessmentActualStartDate
    authorised: int  # AssessmentAuthorisationDate
    factors: tuple[str, ...]


@dataclass(slots=True)
class Section47:
    """A section 47 enquiry and its initial child protection conference (ICPC), when one was needed."""

    s47_id: str
    start: int  # S47ActualStartDate
    icpc_target: int  # InitialCPCtarget: 15 working days after the start
    icpc: int | None  # DateOfInitialCPC; None when no conference was needed
    concluded: int  # the conference date, or the day the enquiry decided that none was needed

    @property
    def icpc_not_required(self) -> bool:
        return self.icpc is None


@dataclass(slots=True)
class CPPlan:
    """A child protection plan: starts on its ICPC, reviewed 3 months later then every 6 months."""

    cpp_id: str
    start: int  # CPPstartDate (= the ICPC date)
    end: int | None  # CPPendDate; None while open at the end of the simulation
    initial_category: str
    latest_category: str
    previous_plans: int  # NumberOfPreviousCPP
    reviews: list[int] = field(default_factory=list)  # CPPreviewDate, ascending, all before `end`


@dataclass(slots=True)
class CINPlan:
    cin_plan_id: str
    start: int  # CINPlanStartDate
    end: int | None  # CINPlanEndDate; None while open at the end of the simulation


@dataclass(slots=True)
class Referral:
    """One CIN episode (a census CINdetails): from the referral to its closure, with what happened inside it."""

    referral_id: str
    date: int  # CINreferralDate
    source: str  # ReferralSource
    primary_need: str  # PrimaryNeedCode ("" for a referral with no further action)
    nfa: bool  # ReferralNFA
    closure: int | None = None  # CINclosureDate; None while open at the end of the simulation
    closure_reason: str = ""  # ReasonForClosure (RC1-RC9)
    assessments: list[Assessment] = field(default_factory=list)
    section47s: list[Section47] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)


@dataclass(slots=True)
class CINChild:
    """A child known to children's social care. Children looked after keep their 903 id, DOB, sex, ethnicity and
    UPN (`looked_after` is True, or `short_breaks` for disabled children on short breaks only)."""

    child_id: str
    sex: str  # M / F / U
    dob: int  # the true birth date (a referral may come before it: an unborn child)
    ethnic: str
    upn: str  # a UPN or a UN1-UN7 reason
    disabilities: tuple[str, ...]  # () when not recorded, ("NONE",) when none
    school_upn: str = ""  # the UPN a UN1 child (not yet at school) has once of school age (as the 903 Header)
    looked_after: bool = False
    short_breaks: bool = False
    death: int | None = None
    contacts: list[Contact] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
