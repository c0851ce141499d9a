"""The independent indicator code used by the calibration tests, on hand-worked episodes."""

from __future__ import annotations

from datetime import date

from tests.synth.indicators import Row, episodes_files, figures_on, placements


def episode(child, decom, dec, rne, place, ls="C2", provider="PR4", post="SL1 1AB", urn="XXXXXXX") -> Row:
    return Row(child, decom, dec, rne, ls, place, provider, post, urn)


def test_placements_bridge_temporary_moves_and_ignore_legal_changes():
    rows = [
        episode("A", date(2025, 1, 1), date(2025, 3, 1), "S", "U6", ls="C1"),
        episode("A", date(2025, 3, 1), date(2025, 6, 1), "L", "U6"),  # legal status only: same placement
        episode("A", date(2025, 6, 1), date(2025, 6, 4), "P", "T1", provider="", urn=""),  # hospital
        episode("A", date(2025, 6, 4), date(2025, 9, 1), "P", "U6"),  # back to the same carer: bridged
        episode("A", date(2025, 9, 1), date(2025, 9, 3), "P", "T2", provider="", urn=""),
        episode("A", date(2025, 9, 3), None, "P", "K2", provider="PR4", urn="SC123456"),  # elsewhere: new
    ]
    assert placements(rows) == [(date(2025, 1, 1), date(2025, 9, 1)), (date(2025, 9, 3), None)]


def test_figures_on_a_snapshot_day():
    day = date(2026, 10, 31)
    by_child = {
        # 3 placements overlapping (31/10/2025, 31/10/2026]: the one open at the window start counts.
        "A": [
            episode("A", date(2025, 5, 1), date(2025, 11, 1), "S", "U6"),
            episode("A", date(2025, 11, 1), date(2026, 2, 1), "P", "U4", provider="PR1"),
            episode("A", date(2026, 2, 1), None, "P", "U4", provider="PR1", post="SL2 1JP"),
        ],
        # The first placement ended on the window start itself: outside (end > window start is required).
        "B": [
            episode("B", date(2025, 5, 1), date(2025, 10, 31), "S", "U6"),
            episode("B", date(2025, 10, 31), date(2026, 2, 1), "P", "K2"),
            episode("B", date(2026, 2, 1), None, "P", "U3", provider="PR1"),
        ],
        "C": [episode("C", date(2026, 1, 1), date(2026, 10, 31), "S", "U6")],  # left on the day: not CLA
        "D": [episode("D", date(2026, 10, 30), None, "S", "U6", ls="V3", provider="PR1")],  # short break
        "E": [episode("E", date(2024, 1, 1), None, "S", "U4", provider="PR4")],
    }
    figures = figures_on(by_child, day)
    assert (figures.cla, figures.three_plus, figures.inhouse_foster) == (3, 1, 2)
    assert round(figures.b08_pct, 2) == 33.33 and round(figures.b24_pct, 2) == 66.67


def test_episodes_files_are_the_episodes_tables_only(tmp_path):
    # A 903 folder holds every table; SW episodes share the "_episodes.csv" ending but are not Episodes.
    la = tmp_path / "E06000039"
    names = {
        "history/903/2024-25": ["episodes", "sw_episodes", "header"],
        "2025-10/903": ["episodes", "sw_episodes", "oc3"],
        "2025-09/903": ["episodes"],
    }
    for folder, tables in names.items():
        cy = "2024-25" if folder.startswith("history") else "2025-26"
        (la / folder).mkdir(parents=True)
        for table in tables:
            (la / folder / f"E06000039_903_{cy}_{table}.csv").write_text("CHILD\n")
    found = [(cy, order, path.relative_to(la).as_posix()) for cy, order, path in episodes_files(la)]
    assert found == [
        ("2024-25", "9999", "history/903/2024-25/E06000039_903_2024-25_episodes.csv"),
        ("2025-26", "2025-09", "2025-09/903/E06000039_903_2025-26_episodes.csv"),
        ("2025-26", "2025-10", "2025-10/903/E06000039_903_2025-26_episodes.csv"),
    ]
