"""The pure rules of publication (mab/releases/rules.py), at their edges."""
from mab.releases import rules
from mab.report.model import (
    INDICATOR,
    RECOMMENDATIONS,
    Paragraph,
    Provenance,
    Recommendation,
    Report,
    Section,
)

PROVENANCE = Provenance(1, 2, "2026-11-01", True, "a" * 64, 7)


def report(*sections) -> Report:
    return Report("kz-2022", "Report", "en", list(sections))


def test_findings_and_recommendations_count_validated_content_only():
    r = report(Section(INDICATOR, "A", paragraphs=[Paragraph("p1", "x")], provenance=PROVENANCE),
               Section(INDICATOR, "B", placeholder=True),
               Section(RECOMMENDATIONS, "R", recommendations=[
                   Recommendation(1, "p1", "Do it"), Recommendation(1, "p2", "Do more")]))
    assert rules.findings(r) == 1
    assert rules.recommendations(r) == 2
    assert rules.has_validated_content(r)


def test_a_report_of_placeholders_and_an_annex_has_nothing_to_release():
    assert not rules.has_validated_content(report())
    assert not rules.has_validated_content(report(Section(INDICATOR, "B", placeholder=True),
                                                  Section("annex", "Annex", annex={})))
    only_recs = report(Section(RECOMMENDATIONS, "R", recommendations=[Recommendation(1, "p", "t")]))
    assert rules.has_validated_content(only_recs)


def test_the_release_manifest_changes_with_any_language_hash_or_order():
    base = rules.release_manifest({"ru": "1" * 64, "kk": "2" * 64})
    assert len(base) == 64
    assert base == rules.release_manifest({"ru": "1" * 64, "kk": "2" * 64})
    assert base != rules.release_manifest({"ru": "1" * 64, "kk": "3" * 64})
    assert base != rules.release_manifest({"kk": "2" * 64, "ru": "1" * 64})
    assert base != rules.release_manifest({"ru": "1" * 64})


def test_the_reading_language_is_the_visitors_when_the_release_has_it_else_the_first():
    assert rules.reading_language(["ru", "kk", "en"], "kk") == "kk"
    assert rules.reading_language(["ru", "kk"], "en") == "ru"
    assert rules.reading_language(["ru", "kk"], None) == "ru"
    assert rules.reading_language([], "en") is None
    assert rules.language_list("ru, kk,,en") == ["ru", "kk", "en"]


def test_cells_of_one_or_two_people_are_suppressed():
    assert [rules.suppressed(n) for n in (0, 1, 2, 3, 10)] == [False, True, True, False, False]
    assert not rules.suppressed("<3")


def test_the_board_rows_hide_a_small_cell_and_its_row_and_the_totals_beside_it():
    board = {"groups": [
        {"group": "Government", "women": 4, "men": 3, "other_or_undisclosed": 0, "total": 7},
        {"group": "Academia", "women": 2, "men": 5, "other_or_undisclosed": 0, "total": 7},
        {"group": "Media", "women": "<3", "men": "suppressed", "other_or_undisclosed":
         "suppressed", "total": 4}],
        "totals": {"women": 7, "men": 11, "other_or_undisclosed": 0, "total": 18}}
    rows, totals = rules.board_rows(board)
    assert rows[0] == ("Government", [4, 3, 0], 7)
    assert rows[1] == ("Academia", [None, None, None], 7)     # a 2 slipped through: hidden
    assert rows[2] == ("Media", [None, None, None], 4)
    assert totals == ("", [None, None, None], 18)             # else the difference tells


def test_the_board_rows_show_everything_when_no_cell_is_small():
    rows, totals = rules.board_rows({"groups": [
        {"group": "G", "women": 3, "men": 0, "other_or_undisclosed": 0, "total": 3}],
        "totals": {"women": 3, "men": 0, "other_or_undisclosed": 0, "total": 3}})
    assert rows == [("G", [3, 0, 0], 3)] and totals == ("", [3, 0, 0], 3)
    assert rules.board_rows(None) == ([], None)
