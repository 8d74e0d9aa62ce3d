"""The report assembled from the database: the framework's order, the newest validated version,
placeholders for the team only, the language of each paragraph, the references by first
citation, the recommendations by category and addressee, the gaps and the annex."""
import pytest

from mab.board.defaults import create_default_groups
from mab.extensions import db
from mab.report import assembly, rules
from mab.report.model import (ANNEX, CATEGORY, CHAPTER, GAPS, INDICATOR, RECOMMENDATIONS,
                              REFERENCES, THEME)
from tests.recommendations import support_register as recs
from tests.report.support_assembly import (add_source, chapter, circulate, finding,
                                           new_version, set_status, translate, validate, world)


@pytest.fixture
def w(app):
    return world()


def kinds(report, kind):
    return [s for s in report.sections if s.kind == kind]


def by_code(report, code):
    return next(s for s in report.sections if s.code == code and s.kind == INDICATOR)


def test_the_framework_s_order_with_chapters_at_the_start_and_the_report_draft_first(w):
    assessment, people = w
    finding(assessment, people, "A.6.1", "Prices.")
    finding(assessment, people, "R.7.1", "Access law.")
    finding(assessment, people, "R.5.1", "Expression law.")
    chapter(assessment, people, "A", "About access.")
    chapter(assessment, people, None, "Our introduction.", subject="report")
    report = assembly.build(assessment, "en", team=False)
    heads = [(s.number, s.kind, s.code) for s in report.sections
             if s.kind in (CATEGORY, THEME, INDICATOR, CHAPTER)]
    assert heads == [("1", CHAPTER, ""), ("2", CATEGORY, "R"), ("2.1", THEME, "R.B"),
                     ("2.1.1", INDICATOR, "R.5.1"), ("2.2", THEME, "R.C"),
                     ("2.2.1", INDICATOR, "R.7.1"), ("3", CATEGORY, "A"), ("3.1", THEME, "A.C"),
                     ("3.1.1", INDICATOR, "A.6.1")]
    assert report.sections[0].paragraphs[0].text == "Our introduction."
    access = next(s for s in report.sections if s.code == "A" and s.kind == CATEGORY)
    assert [p.text for p in access.paragraphs] == ["About access."]
    assert access.provenance is not None
    # The parts after the findings, in their order; the manifest set and reproducible.
    tail = [s.kind for s in report.sections if s.level == 1][-2:]
    assert tail == [GAPS, ANNEX]
    assert report.manifest_sha256 == rules.manifest_hash(report)
    assert assembly.build(assessment, "en", team=False).manifest_sha256 == report.manifest_sha256


def test_the_newest_validated_version_wins_over_a_later_one_not_validated(w):
    assessment, people = w
    draft = finding(assessment, people, "R.5.1", "Validated wording.")
    second = new_version(draft, assessment, people["researcher"], "Second wording.")
    circulate(draft, assessment, people["researcher"])
    validate(assessment, second)
    third = new_version(draft, assessment, people["researcher"], "Third, not validated.")
    circulate(draft, assessment, people["researcher"])
    validate(assessment, third, passed=False)
    new_version(draft, assessment, people["researcher"], "Fourth, being written.")
    section = by_code(assembly.build(assessment, "en", team=True), "R.5.1")
    assert [p.text for p in section.paragraphs] == ["Second wording."]
    assert section.provenance.version == 2 and section.provenance.passed
    assert not section.placeholder


def test_placeholders_only_for_the_team_and_no_empty_headings_outside_it(w):
    assessment, people = w
    finding(assessment, people, "R.5.1", "Expression law.")
    finding(assessment, people, "R.7.1", "Not yet.", validated=False)
    team = assembly.build(assessment, "en", team=True)
    placeholders = [s.code for s in team.sections if s.placeholder]
    assert placeholders == ["R.7.1", "A.3.1", "A.6.1", ""]        # and the recommendations
    assert all(not s.paragraphs and s.provenance is None for s in team.sections
               if s.placeholder)
    public = assembly.build(assessment, "en", team=False)
    assert not any(s.placeholder for s in public.sections)
    assert [s.code for s in public.sections if s.kind in (CATEGORY, THEME, INDICATOR)] == [
        "R", "R.B", "R.5.1"]
    assert not kinds(public, RECOMMENDATIONS)
    assert [s.code for s in team.public().sections if s.kind == INDICATOR] == ["R.5.1"]


def test_an_indicator_outside_the_core_scope_has_no_placeholder(w):
    assessment, people = w
    team = assembly.build(assessment, "en", team=True)
    assert "R.5.2" not in [s.code for s in team.sections]
    assessment.core_only = False
    db.session.commit()
    assert "R.5.2" in [s.code for s in assembly.build(assessment, "en", team=True).sections]


def test_a_signed_edition_s_current_paragraphs_else_the_source_s(w):
    assessment, people = w
    draft = finding(assessment, people, "R.5.1", "First paragraph.\n\nSecond paragraph.")
    version = draft.versions[-1]
    ids = [b["id"] for b in version.blocks]
    translate(version, "kk", {ids[0]: "Бірінші абзац."}, sha256="k" * 64)
    translate(version, "en", {ids[0]: "First, in English."})
    round_ = db.session.get(type(version), version.id)   # noqa: F841  (the version, fresh)
    from mab.validation.models import ValidationRound
    vround = db.session.scalar(db.select(ValidationRound).where(
        ValidationRound.version_id == version.id))
    vround.editions = [{"language": "ru", "sha256": version.sha256, "source": True},
                       {"language": "kk", "sha256": "k" * 64, "source": False}]
    db.session.commit()
    kazakh = by_code(assembly.build(assessment, "kk", team=False), "R.5.1")
    assert [p.text for p in kazakh.paragraphs] == ["Бірінші абзац.", "Second paragraph."]
    assert [p.block_id for p in kazakh.paragraphs] == ids
    # The paragraph left in the source language says so (its lang on the page).
    assert [p.language for p in kazakh.paragraphs] == ["", "ru"]
    assert kazakh.provenance.sha256 == "k" * 64
    # English: an edition exists, but the round did not sign it: the source, with its hash.
    english = by_code(assembly.build(assessment, "en", team=True), "R.5.1")
    assert [p.text for p in english.paragraphs] == ["First paragraph.", "Second paragraph."]
    assert {p.language for p in english.paragraphs} == {"ru"}
    assert {p.language for p in by_code(assembly.build(assessment, "ru", team=False),
                                         "R.5.1").paragraphs} == {""}
    assert english.provenance.sha256 == version.sha256
    russian = by_code(assembly.build(assessment, "ru", team=False), "R.5.1")
    assert russian.provenance.sha256 == version.sha256
    assert assembly.build(assessment, "kk", team=False).manifest_sha256 != \
        assembly.build(assessment, "ru", team=False).manifest_sha256


def test_titles_in_the_report_s_language(w):
    assessment, people = w
    finding(assessment, people, "R.5.1", "Text.")
    russian = assembly.build(assessment, "ru", team=False)
    english = assembly.build(assessment, "en", team=False)
    assert russian.sections[0].title != english.sections[0].title == "Rights"
    assert kinds(russian, GAPS)[0].title != kinds(english, GAPS)[0].title == "Data gaps"


def test_references_are_numbered_by_first_citation_in_reading_order(w):
    assessment, people = w
    first, second, third = (add_source(assessment, ["R.5.1"], title=t)
                            for t in ("First source", "Second source", "Never cited"))
    finding(assessment, people, "A.6.1", f"Prices {first.reference}.")
    finding(assessment, people, "R.5.1",
            f"Law {second.reference} and {first.reference}, again {second.reference}.")
    report = assembly.build(assessment, "en", team=False)
    references = kinds(report, REFERENCES)[0].references
    assert [(r.number, r.source_number, r.title) for r in references] == [
        (1, second.number, "Second source"), (2, first.number, "First source")]
    assert third.number not in [r.source_number for r in references]


def test_no_references_section_when_nothing_is_cited(w):
    assessment, people = w
    finding(assessment, people, "R.5.1", "No citation.")
    assert not kinds(assembly.build(assessment, "en", team=False), REFERENCES)


def test_gaps_one_entry_per_reason_in_catalogue_order(w):
    assessment, people = w
    add_source(assessment, ["R.5.1", "A.3.1"])
    set_status(assessment, "R.5.1", "available")
    set_status(assessment, "R.7.1", "no_data")
    set_status(assessment, "A.3.1", "partial")
    set_status(assessment, "A.6.1", "not_applicable")
    gaps = kinds(assembly.build(assessment, "en", team=False), GAPS)[0].gaps
    assert [(g.code, g.reason) for g in gaps] == [("R.7.1", "no_data"), ("R.7.1", "no_source"),
                                                  ("A.3.1", "partial")]


def test_the_validated_recommendations_by_category_and_addressee(w):
    assessment, people = w
    create_default_groups(assessment)
    db.session.commit()
    recs.add(assessment, people, "Publish prices.", groups=["Private sector"],
             indicators=["A.6.1"])
    recs.add(assessment, people, "Protect journalists.", groups=["Private sector"],
             indicators=["R.5.1"])
    recs.add(assessment, people, "Pass a law.", groups=["Government"], indicators=["R.7.1"])
    recs.add(assessment, people, "Talk more.")
    version = recs.circulate_latest(assessment, people)
    assert kinds(assembly.build(assessment, "en", team=False), RECOMMENDATIONS) == []
    validate(assessment, version)
    recs.add(assessment, people, "Not validated yet.", indicators=["R.5.1"],
             change_summary="One more.")
    report = assembly.build(assessment, "en", team=False)
    sections = kinds(report, RECOMMENDATIONS)
    assert [(s.level, s.code) for s in sections] == [(1, ""), (2, "R"), (2, "A"), (2, "")]
    rights = sections[1].recommendations
    assert [r.text for r in rights] == ["Pass a law.", "Protect journalists."]  # Government first
    assert rights[0].groups == ["Government"] and rights[0].categories == ["Rights"]
    assert rights[0].priority == "high" and rights[0].time_frame == "short"
    assert rights[0].responsible == "Ministry of Digital Development"
    assert [r.text for r in sections[3].recommendations] == ["Talk more."]
    assert "Not validated yet." not in [r.text for s in sections for r in s.recommendations]
    assert [r.groups for r in kinds(assembly.build(assessment, "ru", team=False),
                                    RECOMMENDATIONS)[1].recommendations][0] != ["Government"]


def test_the_annex_names_no_one_and_hides_small_cells(w):
    assessment, people = w
    finding(assessment, people, "R.5.1", "Text.")
    annex = kinds(assembly.build(assessment, "en", team=False), ANNEX)[0].annex
    board = annex["board"]
    assert board["total"] == 1
    assert all(v is None for row in board["rows"] for v in row["cells"].values())
    assert annex["validation"][0]["passed"] is True
    assert annex["validation"][0]["title"] == "Finding R.5.1"
    text = repr(annex)
    for user in people.values():
        assert user.email not in text
        assert (user.name or "@@") not in text


def test_an_assessment_without_a_framework_has_its_annex_only(app):
    from tests.factories import team
    assessment, _people = team()
    report = assembly.build(assessment, "ru", team=True)
    assert [s.kind for s in report.sections] == [RECOMMENDATIONS, ANNEX]
    assert [s.kind for s in assembly.build(assessment, "ru", team=False).sections] == [ANNEX]


def test_no_validated_finding_is_dropped_wherever_its_item_sits(w):
    """An indicator placed directly under a theme (an imported framework without questions) is
    read in its theme; a finding the tree cannot place (its item is a question, say) closes the
    findings under its own title. Every validated finding is in the report."""
    from sqlalchemy import select

    from mab.framework.models import FrameworkItem, ItemKind
    from tests.drafts.support import make_draft
    assessment, people = w
    theme = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id, FrameworkItem.kind == ItemKind.THEME)
        .order_by(FrameworkItem.position, FrameworkItem.id).limit(1))
    direct = FrameworkItem(framework_id=assessment.framework_id, kind=ItemKind.INDICATOR,
                           code="Z.9.9", parent_id=theme.id, title="Directly under a theme",
                           core=True, position=999)
    db.session.add(direct)
    db.session.commit()
    draft = make_draft(assessment, people["researcher"], "Found directly.", subject="indicator",
                       item_id=direct.id, title="Direct finding")
    validate(assessment, circulate(draft, assessment, people["researcher"]))
    second = chapter(assessment, people, theme.code, "A second text on the theme.",
                     subject="theme", kind="theme")
    first = chapter(assessment, people, theme.code, "The theme's text.", subject="theme",
                    kind="theme")
    report = assembly.build(assessment, "ru", team=False)
    placed = {s.provenance.draft_id for s in report.sections if s.provenance is not None}
    assert {draft.id, first.id, second.id} <= placed
    section = by_code(report, "Z.9.9")
    assert [p.text for p in section.paragraphs] == ["Found directly."]
    kinds = [(s.kind, s.level) for s in report.sections]
    assert (CHAPTER, 1) in kinds   # "Other validated findings", holding the second theme text
