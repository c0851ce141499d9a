"""Code lists and weights of the CIN simulation, with the collection years in which codes are valid
(input contract §1.2.2, §1.2.4)."""

from __future__ import annotations

from datetime import date

# ReferralSource: police, schools and health dominate; 5D (early help) exists from 2022-23.
REFERRAL_SOURCE_WEIGHTS: dict[str, float] = {
    "1A": 4.0, "1B": 1.0, "1C": 2.0, "1D": 1.0, "2A": 17.0, "2B": 1.5, "3A": 2.5, "3B": 2.5, "3C": 1.0, "3D": 1.5,
    "3E": 3.0, "3F": 4.5, "4": 2.0, "5A": 4.0, "5B": 3.0, "5C": 3.0, "5D": 4.0, "6": 28.0, "7": 3.0, "8": 7.0,
    "9": 2.0, "10": 1.0,
}  # fmt: skip
SOURCE_5D_FIRST_DAY = date(2022, 4, 1).toordinal()
RC9_FIRST_DAY = date(2022, 4, 1).toordinal()
FACTOR_24A_FIRST_DAY = date(2021, 4, 1).toordinal()
# PrimaryNeedCode of children who are not looked after (looked after children take their 903 CIN code).
PRIMARY_NEED_WEIGHTS: dict[str, float] = {
    "N1": 52.0, "N2": 3.0, "N3": 3.0, "N4": 8.0, "N5": 15.0, "N6": 2.0, "N7": 0.5, "N8": 3.0, "N9": 12.0, "N0": 1.5,
}  # fmt: skip
# AssessmentFactors and how often each is found at an assessment (expected count per assessment ~2).
FACTOR_RATES: dict[str, float] = {
    "1A": 0.02, "1B": 0.09, "1C": 0.02, "2A": 0.04, "2B": 0.09, "2C": 0.02, "3A": 0.15, "3B": 0.25, "3C": 0.03,
    "4A": 0.14, "4B": 0.26, "4C": 0.03, "5A": 0.03, "5B": 0.03, "5C": 0.01, "6A": 0.03, "6B": 0.04, "6C": 0.01,
    "7A": 0.01, "8F": 0.004, "9A": 0.01, "10A": 0.03, "11A": 0.02, "12A": 0.01, "13A": 0.02, "14A": 0.05,
    "15A": 0.05, "16A": 0.12, "17A": 0.14, "18B": 0.02, "18C": 0.07, "19B": 0.01, "19C": 0.03, "20": 0.10,
    "22A": 0.002, "23A": 0.002, "24A": 0.03,
}  # fmt: skip
NO_FACTORS = "21"
CATEGORY_WEIGHTS: dict[str, float] = {"NEG": 48.0, "EMO": 38.0, "PHY": 6.0, "SAB": 4.0, "MUL": 4.0}
# Disabilities of children whose primary need is their disability (N2) and of the few others with one.
DISABILITY_WEIGHTS: dict[str, float] = {
    "AUT": 30.0, "LD": 25.0, "COMM": 15.0, "BEH": 10.0, "MOB": 6.0, "HAND": 2.0, "PC": 4.0, "INC": 2.0,
    "HEAR": 2.0, "VIS": 2.0, "CON": 1.0, "DDA": 1.0,
}  # fmt: skip
# Age at the first referral of a child who is not (yet) looked after: "unborn" is a pre-birth referral.
AGE_WEIGHTS: dict[str, float] = {"unborn": 0.05, "0": 0.09, "1-4": 0.20, "5-9": 0.27, "10-15": 0.31, "16-17": 0.08}
AGE_BANDS: dict[str, tuple[float, float]] = {
    "0": (0.0, 1.0), "1-4": (1.0, 5.0), "5-9": (5.0, 10.0), "10-15": (10.0, 16.0), "16-17": (16.0, 17.8),
}  # fmt: skip
# 903 reasons for leaving care -> ReasonForClosure of the CIN episode that covered the period of care.
CLOSURE_FOR_REC: dict[str, str] = {
    "E11": "RC1", "E12": "RC1", "E2": "RC2", "E41": "RC3", "E43": "RC4", "E44": "RC4", "E45": "RC4", "E46": "RC4",
    "E47": "RC4", "E48": "RC4", "E15": "RC5",
}  # fmt: skip
RETURNED_HOME = frozenset({"E4A", "E4B", "E13"})
