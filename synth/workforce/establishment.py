"""The organisation's services, teams and funded posts (the establishment), with grades, pay scales and roles.

Sized for a Slough-sized children's company (kpi-catalogue §4.3) by the cases each service holds: 93 qualified
frontline case-holding posts (R&A 26, S&FS 40, CLA&SS 24 with the CWD and care-leaver teams, plus 3 in
exploitation) and 367 posts in all. With ~74 % of frontline posts filled (§5.3: 25.79 % vacant) the ~490 R&A,
~690 S&FS and ~315 CLA&SS cases of the simulated lives give the era-B caseloads (b21, §5.3: R&A ~25, S&FS ~23,
CLA&SS ~18). CLA&SS holds the 210-230 looked-after children, the ~90 disabled children on plans (CWD) and the ~10
relevant care leavers of 16-17 (the care-leavers team's one social worker; its personal advisers hold no b21 case).
Every post is funded for the whole simulated span at 1.0 FTE; vacancies come from staffing, not from the budget.
"""

from __future__ import annotations

from dataclasses import dataclass

# Job family -> (title, grade, qualified social worker, local_role_code).
JOB_FAMILIES: dict[str, tuple[str, str, bool, str]] = {
    "QSW": ("Social worker", "PO1", True, "SW"),
    "SSW": ("Senior social worker", "PO3", True, "SSW"),
    "ATM": ("Assistant team manager", "PO5", True, "ATM"),
    "TM": ("Team manager", "PO7", True, "TM"),
    "SM": ("Service manager", "SM1", True, "SM"),
    "PA": ("Personal adviser", "SO2", False, "PA"),
    "FSW": ("Family support worker", "SC6", False, "FSW"),
    "IRO": ("Independent reviewing officer", "PO5", True, "IRO"),
    "CP_CHAIR": ("Child protection conference chair", "PO5", True, "CP_CHAIR"),
    "CLIN": ("Clinical practitioner", "PO7", False, "CLIN"),
    "BUSINESS_SUPPORT": ("Business support officer", "SC3", False, "OTHER"),
    "CORPORATE": ("Corporate services officer", "PO2", False, "OTHER"),
    "OTHER": ("Practitioner", "SO1", False, "OTHER"),
}
# Annual salary of each grade in 2021-22 (the pay award applies from each 1 April).
SALARY_2021: dict[str, float] = {
    "PO1": 34_000.0,
    "PO2": 36_000.0,
    "PO3": 39_000.0,
    "PO5": 44_000.0,
    "PO7": 51_000.0,
    "SM1": 63_000.0,
    "SO1": 28_000.0,
    "SO2": 31_000.0,
    "SC3": 21_500.0,
    "SC6": 26_500.0,
}
# Agency charge rate (£/hour) by job family in 2021-22; a 37-hour week.
AGENCY_RATE_2021: dict[str, float] = {
    "QSW": 36.0,
    "SSW": 40.0,
    "ATM": 45.0,
    "TM": 55.0,
    "SM": 70.0,
    "PA": 25.0,
    "FSW": 21.0,
    "IRO": 42.0,
    "CP_CHAIR": 42.0,
    "CLIN": 48.0,
    "BUSINESS_SUPPORT": 16.0,
    "CORPORATE": 30.0,
    "OTHER": 22.0,
}
WEEKLY_HOURS = 37.0
# Employer on-costs on salaries: national insurance and pension.
EMPLOYER_NI = 0.11
EMPLOYER_PENSION = 0.17
# Services whose qualified social worker and senior social worker posts hold children's cases.
CASE_HOLDING_SERVICES = frozenset({"RA", "SFS", "CLASS", "CWD", "CL", "EYJ"})
CASE_HOLDING_FAMILIES = frozenset({"QSW", "SSW"})
# Services reported under another on the TSG "CLA&SS" grain.
SERVICE_ROLL_UP = {"CWD": "CLASS", "CL": "CLASS"}


@dataclass(frozen=True, slots=True)
class Team:
    """A team of the case system and HR (`dept_team_id` / HR `team_id`), with its reporting service and cost centre."""

    team_id: str
    name: str
    service: str  # ssd_department.local_service_code
    parent_id: str
    parent_name: str
    cost_centre: str
    front_door: bool


@dataclass(frozen=True, slots=True)
class Post:
    """A funded post of the establishment (`hr_post`)."""

    post_id: str
    team_id: str
    cost_centre: str
    job_family: str
    job_title: str
    grade: str
    budgeted_fte: float
    frontline_case_holding: bool
    funded_from: int  # ordinal


# (team code, name, service, front door, [(job family, count, title or None)])
_TEAMS: tuple[tuple[str, str, str, bool, tuple[tuple[str, int, str | None], ...]], ...] = (
    ("RA00", "Referral and assessment management", "RA", False, (("SM", 1, None),)),
    (
        "RA01",
        "MASH and front door",
        "RA",
        True,
        (
            ("TM", 1, None),
            ("ATM", 1, None),
            ("QSW", 3, None),
            ("SSW", 2, None),
            ("BUSINESS_SUPPORT", 4, None),
            ("OTHER", 2, "Contact officer"),
        ),
    ),
    *(
        (
            f"RA0{n + 1}",
            f"Assessment team {n}",
            "RA",
            False,
            (("TM", 1, None), ("ATM", 1, None), ("QSW", 6, None), ("SSW", 1, None), ("BUSINESS_SUPPORT", 1, None)),
        )
        for n in (1, 2, 3)
    ),
    ("SF00", "Safeguarding and family support management", "SFS", False, (("SM", 2, None),)),
    *(
        (
            f"SF0{n}",
            f"Safeguarding and family support {n}",
            "SFS",
            False,
            (
                ("TM", 1, None),
                ("ATM", 1, None),
                ("QSW", 6, None),
                ("SSW", 2, None),
                ("FSW", 1, None),
                ("BUSINESS_SUPPORT", 1, None),
            ),
        )
        for n in (1, 2, 3, 4, 5)
    ),
    ("SF06", "Family time", "SFS", False, (("OTHER", 1, "Family time coordinator"), ("FSW", 12, "Family time worker"))),
    ("SF07", "Edge of care", "SFS", False, (("ATM", 1, None), ("FSW", 6, None), ("CLIN", 2, None))),
    ("CL00", "Children looked after management", "CLASS", False, (("SM", 1, None),)),
    *(
        (
            f"CL0{n}",
            f"Children looked after {n}",
            "CLASS",
            False,
            (("TM", 1, None), ("ATM", 1, None), ("QSW", 6, None), ("SSW", 2, None), ("BUSINESS_SUPPORT", 1, None)),
        )
        for n in (1, 2)
    ),
    (
        "CL03",
        "Children with disabilities",
        "CWD",
        False,
        (("TM", 1, None), ("QSW", 6, None), ("SSW", 1, None), ("FSW", 2, None), ("BUSINESS_SUPPORT", 1, None)),
    ),
    (
        "CL04",
        "Care leavers",
        "CL",
        False,
        (("TM", 1, None), ("ATM", 1, None), ("PA", 10, None), ("QSW", 1, None), ("BUSINESS_SUPPORT", 1, None)),
    ),
    (
        "CL05",
        "Children's home",
        "CLASS",
        False,
        (("OTHER", 1, "Registered manager"), ("OTHER", 14, "Residential care worker")),
    ),
    (
        "CL06",
        "Short breaks unit",
        "CWD",
        False,
        (("OTHER", 1, "Unit manager"), ("OTHER", 10, "Residential care worker")),
    ),
    ("CL07", "Clinical team", "CLASS", False, (("CLIN", 4, None),)),
    ("EY00", "Exploitation and youth justice management", "EYJ", False, (("SM", 1, None),)),
    (
        "EY01",
        "Exploitation and contextual safeguarding",
        "EYJ",
        False,
        (("TM", 1, None), ("QSW", 3, None), ("OTHER", 2, "Exploitation practitioner")),
    ),
    (
        "EY02",
        "Youth justice service",
        "EYJ",
        False,
        (("TM", 1, None), ("OTHER", 8, "Youth justice officer"), ("BUSINESS_SUPPORT", 1, None)),
    ),
    (
        "IF01",
        "Fostering service",
        "IFA",
        False,
        (
            ("SM", 1, None),
            ("TM", 1, None),
            ("SSW", 2, "Supervising social worker"),
            ("QSW", 6, "Supervising social worker"),
            ("FSW", 2, None),
            ("OTHER", 2, "Recruitment officer"),
            ("BUSINESS_SUPPORT", 1, None),
        ),
    ),
    (
        "AD01",
        "Adoption",
        "ADOPTION",
        False,
        (("TM", 1, None), ("QSW", 4, "Adoption social worker"), ("BUSINESS_SUPPORT", 1, None)),
    ),
    (
        "SQ01",
        "Independent reviewing service",
        "SQA",
        False,
        (("TM", 1, "Independent reviewing service manager"), ("IRO", 8, None), ("BUSINESS_SUPPORT", 2, None)),
    ),
    ("SQ02", "Child protection conferences", "SQA", False, (("CP_CHAIR", 4, None), ("BUSINESS_SUPPORT", 2, None))),
    (
        "SQ03",
        "Quality assurance",
        "SQA",
        False,
        (("SM", 1, "Head of quality assurance"), ("OTHER", 4, "Quality assurance officer")),
    ),
    *(
        (
            f"EH0{n}",
            f"Early help {n}",
            "EH",
            False,
            (
                ("TM", 1, "Early help team manager"),
                ("FSW", 9, "Early help practitioner"),
                ("BUSINESS_SUPPORT", 1, None),
            ),
        )
        for n in (1, 2, 3)
    ),
    (
        "HR01",
        "Human resources",
        "HR",
        False,
        (("CORPORATE", 6, "HR adviser"), ("OTHER", 3, "Learning and development officer")),
    ),
    ("CO01", "Executive", "CORP", False, (("SM", 4, "Director"),)),
    ("CO02", "Finance", "CORP", False, (("CORPORATE", 8, "Finance officer"),)),
    ("CO03", "Performance and data", "CORP", False, (("CORPORATE", 6, "Performance analyst"),)),
    ("CO04", "Business support", "CORP", False, (("BUSINESS_SUPPORT", 30, None),)),
    ("CO05", "Commissioning", "CORP", False, (("CORPORATE", 5, "Commissioning officer"),)),
    ("CO06", "Digital and ICT", "CORP", False, (("CORPORATE", 6, "ICT officer"),)),
)
SERVICE_NAMES = {
    "RA": "Referral and assessment",
    "SFS": "Safeguarding and family support",
    "CLASS": "Children looked after and support services",
    "CWD": "Children looked after and support services",
    "CL": "Children looked after and support services",
    "EYJ": "Exploitation and youth justice",
    "IFA": "Fostering (independent fostering agency)",
    "ADOPTION": "Adoption",
    "SQA": "Safeguarding and quality assurance",
    "EH": "Early help",
    "HR": "Human resources",
    "CORP": "Corporate services",
}


# Services whose teams grow with the children-in-need work, and with the looked-after work; the rest (management
# and corporate teams) grow with the mean of the two.
_CIN_SERVICES = frozenset({"RA", "SFS", "EH", "EYJ"})
_CLA_SERVICES = frozenset({"CLASS", "CWD", "CL", "IFA", "ADOPTION"})
_CIN_TEAMS = frozenset({"SQ02"})  # child protection conference chairs
_CLA_TEAMS = frozenset({"SQ01"})  # independent reviewing officers


def _team_scale(code: str, service: str, cin_scale: float, cla_scale: float) -> float:
    if code in _CIN_TEAMS or (service in _CIN_SERVICES and code not in _CLA_TEAMS):
        return cin_scale
    if code in _CLA_TEAMS or service in _CLA_SERVICES:
        return cla_scale
    return (cin_scale + cla_scale) / 2


def build_establishment(
    funded_from: int, cin_scale: float = 1.0, cla_scale: float = 1.0
) -> tuple[list[Team], list[Post]]:
    """The teams and posts (every post funded from `funded_from`, an ordinal), in id order.

    An organisation `cin_scale` / `cla_scale` times the default size has each team `round(scale)` times (copies
    get ids ending B, C...; at least one), with post counts scaled so that the service's posts grow with its work
    (at least one post of each kind per team). Scales of 1.0 give the default establishment exactly."""
    teams: list[Team] = []
    posts: list[Post] = []
    for code, name, service, front_door, shape in _TEAMS:
        scale = _team_scale(code, service, cin_scale, cla_scale)
        copies = 1 if front_door else max(1, round(scale))
        for copy in range(copies):
            suffix = "" if copy == 0 else chr(ord("A") + copy) if copy < 26 else f"{copy + 1}"
            team_name = name if copy == 0 else f"{name} ({copy + 1})"
            team = Team(f"T{code}{suffix}", team_name, service, f"S{service}", SERVICE_NAMES[service],
                        f"C{code}{suffix}", front_door)  # fmt: skip
            teams.append(team)
            for family, count, title in shape:
                default_title, grade, _, _ = JOB_FAMILIES[family]
                frontline = service in CASE_HOLDING_SERVICES and family in CASE_HOLDING_FAMILIES
                for _ in range(count if scale == 1.0 else max(1, round(count * scale / copies))):
                    post_id = f"P{len(posts) + 1:05d}"
                    posts.append(
                        Post(post_id, team.team_id, team.cost_centre, family, title or default_title, grade, 1.0,
                             frontline, funded_from)
                    )  # fmt: skip
    return teams, posts


def salary(grade: str, fy_start_year: int, pay_inflation: float) -> float:
    """Annual full-time salary of `grade` in the financial year starting 1 April `fy_start_year`."""
    return SALARY_2021[grade] * (1.0 + pay_inflation) ** (fy_start_year - 2021)


def agency_rate(job_family: str, fy_start_year: int, pay_inflation: float) -> float:
    return AGENCY_RATE_2021[job_family] * (1.0 + pay_inflation) ** (fy_start_year - 2021)
