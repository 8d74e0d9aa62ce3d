"""The report's pure rules: numbering, the table of contents, the manifest hash, public() and the
annex's suppressed cells. No app needed."""
from mab.report import rules
from mab.report.model import (ANNEX, CATEGORY, CHAPTER, INDICATOR, REFERENCES, THEME, Paragraph,
                              Provenance, Reference, Report, Section)


def numbered(*levels) -> list[str]:
    return [s.number for s in rules.number_sections([Section(CATEGORY, "x", level=n)
                                                     for n in levels])]


# --- numbering --------------------------------------------------------------------------------

def test_numbers_follow_the_levels():
    assert numbered(1, 2, 3, 3, 2, 3, 1, 2) == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1",
                                                "2", "2.1"]


def test_a_deeper_level_after_a_jump_starts_each_missing_level_at_one():
    assert numbered(1, 3) == ["1", "1.1.1"]
    assert numbered(3) == ["1.1.1"]


def test_a_level_below_one_counts_as_one_and_a_shallower_level_carries_on_its_count():
    assert numbered(0, 1, 2, 1) == ["1", "2", "2.1", "3"]
    assert numbered(1, 2, 2, 1, 2) == ["1", "1.1", "1.2", "2", "2.1"]


def test_anchors_are_made_of_the_numbers_and_unique():
    sections = rules.number_sections([Section(CATEGORY, "a"), Section(THEME, "b", level=2),
                                      Section(CATEGORY, "c")])
    assert [s.anchor for s in sections] == ["s-1", "s-1-1", "s-2"]


def test_no_sections_no_numbers():
    assert rules.number_sections([]) == []


# --- table of contents ------------------------------------------------------------------------

def _report(*sections) -> Report:
    report = Report("kz-2022", "Report", "en", list(sections))
    rules.number_sections(report.sections)
    return report


def test_the_table_of_contents_lists_every_section_in_order_with_its_number_and_anchor():
    report = _report(Section(CATEGORY, "Rights"), Section(THEME, "Expression", level=2),
                     Section(INDICATOR, "Law", level=3, placeholder=True),
                     Section(REFERENCES, "References"))
    toc = rules.table_of_contents(report)
    assert [(e.number, e.title, e.anchor, e.level, e.placeholder) for e in toc] == [
        ("1", "Rights", "s-1", 1, False), ("1.1", "Expression", "s-1-1", 2, False),
        ("1.1.1", "Law", "s-1-1-1", 3, True), ("2", "References", "s-2", 1, False)]


def test_the_table_of_contents_stops_at_the_level_asked():
    report = _report(Section(CATEGORY, "Rights"), Section(THEME, "Expression", level=2),
                     Section(INDICATOR, "Law", level=3))
    assert [e.title for e in rules.table_of_contents(report, max_level=2)] == ["Rights",
                                                                               "Expression"]


# --- the manifest ---------------------------------------------------------------------------

def _finding(code="R.5.1", sha="a" * 64, version=1, text="Text."):
    return Section(INDICATOR, f"Indicator {code}", level=3, code=code,
                   paragraphs=[Paragraph("p1", text)],
                   provenance=Provenance(draft_id=1, version=version, validated_on="2022-03-12",
                                         passed=True, sha256=sha, round_id=1))


def _sample(**finding) -> Report:
    return _report(Section(CATEGORY, "Rights", code="R", paragraphs=[Paragraph("p1", "Intro")]),
                   _finding(**finding), _finding("R.7.1", "b" * 64),
                   Section(REFERENCES, "References",
                           references=[Reference(1, 4, "Census", "Stat", 2021)]))


def test_the_manifest_is_the_same_for_the_same_report():
    assert rules.manifest_hash(_sample()) == rules.manifest_hash(_sample())


def test_the_manifest_does_not_change_with_numbers_anchors_or_the_finding_s_round():
    first, second = _sample(), _sample()
    second.sections[1].provenance = Provenance(1, 1, "2023-01-01", True, "a" * 64, round_id=9)
    second.sections[1].number = "9.9.9"
    second.manifest_sha256 = "x"
    assert rules.manifest_hash(first) == rules.manifest_hash(second)


def test_the_manifest_changes_with_a_version_s_hash_an_edition_a_paragraph_or_the_order():
    base = rules.manifest_hash(_sample())
    assert rules.manifest_hash(_sample(sha="c" * 64)) != base          # another version/edition
    changed = _sample()
    changed.sections[0].paragraphs = [Paragraph("p1", "Intro changed")]
    assert rules.manifest_hash(changed) != base                       # a chapter's paragraph
    swapped = _sample()
    swapped.sections[1], swapped.sections[2] = swapped.sections[2], swapped.sections[1]
    assert rules.manifest_hash(swapped) != base                       # the order
    other_language = _sample()
    other_language.language = "kk"
    assert rules.manifest_hash(other_language) != base
    cited = _sample()
    cited.sections[3].references = [Reference(1, 5, "Census", "Stat", 2021)]
    assert rules.manifest_hash(cited) != base                         # another source cited


def test_public_leaves_the_placeholders_out_and_keeps_the_rest_in_order():
    report = _report(Section(CATEGORY, "Rights"), _finding(),
                     Section(INDICATOR, "Law", level=3, code="R.7.1", placeholder=True),
                     Section(CHAPTER, "Recommendations", placeholder=True),
                     Section(ANNEX, "Annex", annex={"board": {}}))
    public = report.public()
    assert [s.title for s in public.sections] == ["Rights", "Indicator R.5.1", "Annex"]
    assert not any(s.placeholder for s in public.sections)
    assert len(report.sections) == 5                                  # the original is untouched
    assert Report.from_json(public.to_json()).sections[1].provenance.sha256 == "a" * 64


# --- the annex's small cells ---------------------------------------------------------------

def test_a_row_with_a_cell_of_one_or_two_hides_every_cell():
    assert rules.public_cells({"woman": 2, "man": 5}) == {"woman": None, "man": None}
    assert rules.public_cells({"woman": 0, "man": 1}) == {"woman": None, "man": None}


def test_a_row_of_zeros_and_threes_or_more_is_shown():
    assert rules.public_cells({"woman": 3, "man": 0, "another": 0}) == {"woman": 3, "man": 0,
                                                                          "another": 0}
    assert rules.public_cells({}) == {}


def test_the_public_table_suppresses_rows_and_totals_but_keeps_group_sizes():
    genders = ("woman", "man")
    table = rules.public_table([("Government", {"woman": 3, "man": 4}, 7),
                                ("Civil society", {"woman": 1, "man": 3}, 4),
                                (None, {"woman": 0, "man": 0}, 0)], genders)
    assert table["rows"][0] == {"group": "Government", "cells": {"woman": 3, "man": 4},
                                "total": 7}
    assert table["rows"][1]["cells"] == {"woman": None, "man": None}
    assert table["rows"][1]["total"] == 4
    assert table["rows"][2]["group"] == ""
    # A row hidden: the totals' genders too (they less the rows shown would give it back).
    assert table["totals"] == {"woman": None, "man": None} and table["total"] == 11
    small = rules.public_table([("Academia", {"woman": 1, "man": 0}, 1)], genders)
    assert small["totals"] == {"woman": None, "man": None}
    shown = rules.public_table([("Government", {"woman": 3, "man": 4}, 7),
                                ("Academia", {"woman": 3, "man": 0}, 3)], genders)
    assert shown["totals"] == {"woman": 6, "man": 4} and shown["total"] == 10


def test_the_running_title_is_a_css_string_nothing_can_end():
    from mab.report.rules import css_string, running_title_css
    assert css_string("Kazakhstan 2022") == '"Kazakhstan 2022"'
    assert css_string('Қазақстан "IUI"') == '"Қазақстан \\22 IUI\\22 "'
    assert css_string("a\\b\nc}") == '"a\\5c b\\a c\\7d "'
    css = running_title_css("Оценка; } body { color: red")
    assert css.count("{") == css.count("}") == 4   # the title adds no rule of its own
    assert "@page :first { @top-center { content: none; } }" in css
