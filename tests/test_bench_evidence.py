"""The bench's evidence and recommendations (issue 19): sources behind every indicator, a
validated recommendations draft with details and follow-up updates, made in bulk."""
from collections import Counter

from sqlalchemy import func, select

from bench.generate import SIZES, generate
from mab.board.models import StakeholderGroup
from mab.drafts.models import Draft, Subject
from mab.evidence.models import IndicatorEvidence, Source, source_indicators
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.recommendations import queries
from mab.recommendations.models import FollowUpUpdate, UpdateState


def test_the_large_size_has_the_issue_s_figures():
    large = SIZES["national-large"]
    assert (large["indicators"], large["sources_per_indicator"]) == (303, 5)
    assert (large["recommendations"], large["follow_up_updates"]) == (150, 5)
    assert SIZES["national-large-3"]["recommendations"] == 150


def test_every_indicator_has_its_sources(app):
    small = generate("small")
    indicators = db.session.scalars(select(FrameworkItem.id).where(
        FrameworkItem.kind == ItemKind.INDICATOR)).all()
    assert len(indicators) == SIZES["small"]["indicators"]
    links = db.session.execute(select(source_indicators.c.source_id, source_indicators.c.item_id)
                               .join(Source).where(Source.assessment_id == small.assessment_id)
                               ).all()
    per_indicator = Counter(item for _, item in links)
    assert set(per_indicator) == set(indicators)
    assert set(per_indicator.values()) == {5}
    per_source = Counter(source for source, _ in links)
    assert set(per_source.values()) == {1, 2}
    sources = db.session.scalars(select(Source).where(
        Source.assessment_id == small.assessment_id).order_by(Source.number)).all()
    assert [s.number for s in sources] == list(range(1, len(sources) + 1))
    assert len(sources) == small.counts["sources"] == 4 * len(indicators)
    assert len({s.kind for s in sources}) >= 4
    assert any(s.gender_disaggregated for s in sources)
    assert not all(s.gender_disaggregated for s in sources)
    assert any(s.url for s in sources) and any(not s.url for s in sources)
    statuses = Counter(db.session.scalars(select(IndicatorEvidence.data_status).where(
        IndicatorEvidence.assessment_id == small.assessment_id)))
    assert len(statuses) >= 3 and 0 < sum(statuses.values()) < len(indicators)
    assert small.ids["evidence_item_id"] in indicators


def test_a_second_assessment_in_the_database_gets_its_own(app, monkeypatch):
    """As xl, made after small and national-large in one database: its sources are numbered
    from 1 again, its recommendations and links are its own."""
    from bench import generate as generator
    monkeypatch.setitem(generator.SIZES, "small-b", generator.SIZES["small"])
    first, second = generate("small"), generate("small-b")
    for dataset in (first, second):
        numbers = db.session.scalars(select(Source.number).where(
            Source.assessment_id == dataset.assessment_id).order_by(Source.number)).all()
        assert numbers == list(range(1, dataset.counts["sources"] + 1))
        links = db.session.scalar(select(func.count()).select_from(source_indicators).join(
            Source).where(Source.assessment_id == dataset.assessment_id))
        assert links == dataset.counts["source_links"] == 5 * SIZES["small"]["indicators"]
    assert first.ids["recommendations_draft_id"] != second.ids["recommendations_draft_id"]


def test_the_recommendations_are_validated_with_details_and_updates(app):
    small = generate("small")
    assessment = db.session.get(Draft, small.ids["recommendations_draft_id"]).assessment_id
    assert assessment == small.assessment_id
    draft = db.session.get(Draft, small.ids["recommendations_draft_id"])
    assert draft.subject == Subject.RECOMMENDATIONS
    from mab.assessments.models import Assessment
    items = queries.validated(db.session.get(Assessment, small.assessment_id))
    assert len(items) == SIZES["small"]["recommendations"]
    groups = set(db.session.scalars(select(StakeholderGroup.id).where(
        StakeholderGroup.assessment_id == small.assessment_id)))
    for item in items:
        details = item.details
        assert details is not None
        assert len(details.groups) == 2 and {g.id for g in details.groups} <= groups
        assert len(details.indicators) == 2
        assert len(details.findings) == 1
        finding = details.findings[0]
        assert finding.assessment_id == small.assessment_id and finding.item_id in \
            {i.id for i in details.indicators}
        assert details.responsible
    updates = db.session.scalars(select(FollowUpUpdate).where(
        FollowUpUpdate.assessment_id == small.assessment_id)).all()
    assert len(updates) == 5 * len(items) == small.counts["follow_up_rows"]
    assert {u.state for u in updates} == {UpdateState.CONFIRMED}
    assert {u.reported_on.year for u in updates} == {small.ids["follow_up_year"]}
    assert Counter((u.draft_id, u.block_id) for u in updates) == \
        {item.key: 5 for item in items}
    assert all(u.reported_by.assessment_id == small.assessment_id for u in updates)
    assert len({u.status for u in updates}) >= 4
    assert db.session.scalar(select(func.count()).select_from(FollowUpUpdate).where(
        FollowUpUpdate.evidence_url != "")) > 0
    # The validation workshop: every recommendation on its agenda, with a position.
    from mab.meetings.models import Meeting, MeetingKind
    from mab.recommendations.models import WorkshopItem
    workshop = db.session.get(Meeting, small.ids["workshop_id"])
    assert workshop.kind == MeetingKind.VALIDATION_WORKSHOP
    agenda = db.session.scalars(select(WorkshopItem).where(
        WorkshopItem.meeting_id == workshop.id)).all()
    assert sorted((i.draft_id, i.block_id) for i in agenda) == sorted(i.key for i in items)
    assert all(i.position and i.version_id == items[0].version.id for i in agenda)
    assert small.ids["source_id"] == db.session.scalar(select(Source.id).where(
        Source.assessment_id == small.assessment_id, Source.number == 1))


def test_a_page_that_fails_is_reported_and_the_others_are_measured(app, capsys):
    """A page still being written (no route yet: 404; or raising) is not measured, the run
    goes on, the table says why and the checks fail it."""
    from bench.run import PAGES, Page, checks, measure, table

    dataset = generate("small")
    db.session.commit()

    def broken():
        raise RuntimeError("template not written yet")

    app.add_url_rule("/_bench/broken", "bench_broken", broken)
    pages = [Page("home", "/a/{slug}/"), Page("not yet", "/a/{slug}/no-such-page"),
             Page("broken", "/_bench/broken"), Page("people", "/a/{slug}/people")]
    results = measure(app, dataset, pages, warmup=1, repeat=2)
    assert results["not yet"] == {"url": "/a/bench-small/no-such-page", "failed": "404"}
    assert results["broken"]["failed"] == "error"
    assert results["home"]["queries"] > 0 and results["people"]["median_ms"] > 0
    err = capsys.readouterr().err
    assert "GET /a/bench-small/no-such-page (not yet) answered 404" in err
    assert "RuntimeError: template not written yet" in err

    # In the report: the table names the status, the checks fail the page at every size.
    runs = {size: {"pages": {p.name: {"queries": 3, "median_ms": 1.0, "median_cpu_ms": 1.0}
                             for p in PAGES}} for size in ("small", "national-large")}
    page = PAGES[-1]
    runs["small"]["pages"][page.name] = {"url": "/x", "failed": "404"}
    found = checks(["small", "national-large"], runs)
    assert [c for c in found if not c["ok"]] == [
        {"page": page.name, "path": page.path.replace("{", "<").replace("}", ">"),
         "failed": {"small": "404"}, "ok": False}]
    row = next(line for line in table(["small", "national-large"], runs).splitlines()
               if line.startswith(f"| `{page.path.replace('{', '<').replace('}', '>')}`"))
    assert row.split(" | ")[1:5] == ["404", "3", "-", "1.0"]


def test_pages_measures_only_the_pages_named_and_the_floor():
    from bench.run import PAGES, measured, selected, table

    assert selected(None) == PAGES
    chosen = selected(["/evidence", "FOLLOW-UP"])
    assert chosen[0] is PAGES[0]
    assert [p.path for p in chosen[1:]] == [
        "/a/{slug}/evidence", "/a/{slug}/evidence.csv", "/a/{slug}/evidence-gaps.csv",
        "/a/{slug}/framework/{evidence_item_id}/evidence",
        "/a/{slug}/recommendations/follow-up",
        "/a/{slug}/recommendations/follow-up/{follow_up_year}",
        "/a/{slug}/recommendations/follow-up/{follow_up_year}.csv"]
    runs = {"small": {"pages": {p.name: {"queries": 3, "median_ms": 2.0, "median_cpu_ms": 2.0}
                                for p in chosen}}}
    assert measured(["small"], runs) == chosen
    assert len(table(["small"], runs).splitlines()) == 2 + len(chosen)


def test_with_editions_the_recommendations_are_translated_and_validated(app, monkeypatch):
    """national-large-3's recommendations: the same as national-large's, with a Kazakh and an
    English edition, the round signing their manifest."""
    from bench import generate as generator
    from mab.assessments.models import Assessment
    from mab.validation.models import ValidationRound

    monkeypatch.setitem(generator.SIZES, "small-3", {**generator.SIZES["small"], "editions": 1})
    monkeypatch.setitem(generator.SAME_DATA_AS, "small-3", "small")
    small, three = generate("small"), generate("small-3")
    draft = db.session.get(Draft, three.ids["recommendations_draft_id"])
    assert draft.source_language == "ru"
    assert [e.language for e in draft.versions[-1].editions] == ["en", "kk"]
    round_ = db.session.get(ValidationRound, three.ids["recommendations_round_id"])
    assert round_.passed and [row["language"] for row in round_.editions] == ["ru", "en", "kk"]

    def texts(dataset):
        items = queries.validated(db.session.get(Assessment, dataset.assessment_id))
        return [(i.text, i.details.priority, i.details.responsible) for i in items]

    assert texts(small) == texts(three) and len(texts(small)) == 15
