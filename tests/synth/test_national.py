"""synth.national: the organisations of a national run and their sizes."""

from __future__ import annotations

import re

from synth.national import MEAN_CIN_SIZE, MEAN_CLA_SIZE, la_codes, national_sizes


def test_la_codes_are_distinct_upper_tier_codes() -> None:
    codes = la_codes(150)
    assert len(set(codes)) == 150
    assert all(re.fullmatch(r"E(06|08|09|10)\d{6}", code) for code in codes)
    # number 0 -> E06 + 900001; number 5 -> prefix 5 % 4 = 1 (E08), 900001 + 5 // 4 = 900002
    assert codes[0] == "E06900001" and codes[5] == "E08900002"


def test_national_sizes_hit_the_national_means_largest_first() -> None:
    organisations = national_sizes(150)
    cla = [org.size.cla for org in organisations]
    cin = [org.size.cin for org in organisations]
    # Each size is the quantile scaled so that the 150 sum to 150 x the mean, then rounded to 3 decimals: the means
    # are off by at most half a thousandth.
    assert abs(sum(cla) / 150 - MEAN_CLA_SIZE) <= 0.0005
    assert abs(sum(cin) / 150 - MEAN_CIN_SIZE) <= 0.0005
    totals = [a + b for a, b in zip(cla, cin, strict=True)]
    assert totals == sorted(totals, reverse=True)
    # log-normal quantiles, sigma 0.6: the largest is several times the smallest
    assert max(cla) / min(cla) > 10
    assert national_sizes(150) == organisations  # deterministic for a seed
