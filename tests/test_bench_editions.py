"""The three-language bench (issue 18): the generator's editions and the check that editions cost
no query per row and at most EDITIONS_FACTOR times the one-language time."""
from sqlalchemy import func, select

from bench import generate as generator
from bench.run import (
    EDITIONS_ALLOWANCE_MS,
    EDITIONS_FACTOR,
    EDITIONS_FLOOR_MS,
    EDITIONS_SIZE,
    ONE_LANGUAGE_SIZE,
    PAGES,
    editions_checks,
    editions_table,
)
from mab.comments.models import Comment
from mab.drafts.models import Draft, DraftVersion
from mab.editions import rules
from mab.editions.models import Edition
from mab.extensions import db
from mab.validation.models import ValidationRound


def test_national_large_3_is_national_large_with_editions():
    assert generator.SIZES["national-large-3"] == {**generator.SIZES["national-large"],
                                                   "editions": 1}
    assert generator.SAME_DATA_AS["national-large-3"] == "national-large"
    assert "national-large-3" not in generator.DEFAULT_SIZES
    assert (EDITIONS_SIZE, ONE_LANGUAGE_SIZE) == ("national-large-3", "national-large")


def _dataset(monkeypatch, size="small-3"):
    monkeypatch.setitem(generator.SIZES, size, {**generator.SIZES["small"], "editions": 1})
    monkeypatch.setitem(generator.SAME_DATA_AS, size, "small")
    return generator.generate(size)


def test_a_variant_draws_the_same_data_as_its_size(app, monkeypatch):
    small = generator.generate("small")
    three = _dataset(monkeypatch)

    def bodies(dataset):
        return db.session.scalars(select(DraftVersion.body).join(DraftVersion.draft).where(
            Draft.assessment_id == dataset.assessment_id).order_by(DraftVersion.id)).all()

    def comments(dataset):
        return db.session.execute(select(Comment.body, Comment.paragraph, Comment.block_id)
                                  .where(Comment.assessment_id == dataset.assessment_id)
                                  .order_by(Comment.id)).all()

    assert bodies(small) == bodies(three)
    assert comments(small) == comments(three)
    assert {k: v for k, v in small.ids.items() if not k.endswith("_id")} == \
        {k: v for k, v in three.ids.items() if not k.endswith("_id")}
    # The one-language size has no editions and its comments no language.
    assert db.session.scalar(select(func.count()).select_from(Edition).join(Edition.version)
                             .join(DraftVersion.draft)
                             .where(Draft.assessment_id == small.assessment_id)) == 0
    assert db.session.scalars(select(Comment.language).where(
        Comment.assessment_id == small.assessment_id).distinct()).all() == [None]


def test_every_version_has_a_kazakh_and_an_english_edition(app, monkeypatch):
    dataset = _dataset(monkeypatch)
    drafts = db.session.scalars(select(Draft).where(
        Draft.assessment_id == dataset.assessment_id)).all()
    assert {d.source_language for d in drafts} == {"ru"}
    versions = [v for d in drafts for v in d.versions]
    assert dataset.counts["edition_rows"] == 2 * len(versions)
    figures = {"current": 0, "outdated": 0, "missing": 0}
    complete = 0
    for version in versions:
        assert [e.language for e in version.editions] == ["en", "kk"]
        for edition in version.editions:
            summary = rules.summary(edition.language, version.blocks, edition.blocks)
            complete += summary.complete
            for key in figures:
                figures[key] += getattr(summary, key)
            for block in edition.blocks:   # made by rules.translate: text, hash and basis agree
                assert block["text"] and block["source_hash"] == rules.paragraph_hash(
                    block["basis"])
            if version.circulation is not None:
                assert (edition.language in version.circulation.languages.split(",")) == \
                    summary.complete
    total = sum(figures.values())
    assert 0.05 < figures["outdated"] / total < 0.2
    assert 0 < figures["missing"] / total < 0.15
    assert 0 < complete < 2 * len(versions)
    kazakh = next(e for e in versions[0].editions if e.language == "kk")
    assert any("қ" in b["text"] or "ұ" in b["text"] for b in kazakh.blocks)


def test_comments_are_written_in_every_language_and_rounds_sign_the_editions(app, monkeypatch):
    dataset = _dataset(monkeypatch)
    comments = db.session.scalars(select(Comment).where(
        Comment.assessment_id == dataset.assessment_id)).all()
    languages = [c.language for c in comments]
    assert set(languages) == {"ru", "kk", "en"}
    assert languages.count("ru") > languages.count("en")
    translated = [c for c in comments if c.translation]
    assert all(c.language != "ru" and c.translation_language == "ru" and c.translation_html
               and c.translated_by_id for c in translated)
    rounds = db.session.scalars(select(ValidationRound).where(
        ValidationRound.assessment_id == dataset.assessment_id)).all()
    assert rounds
    for round_ in rounds:
        assert [row["language"] for row in round_.editions] == ["ru", "en", "kk"]
        assert all(e.frozen and e.sha256 for e in round_.version.editions)
        assert round_.version_sha256 != round_.version.sha256
        assert {s.version_sha256 for s in round_.signoffs} <= {round_.version_sha256}


# --- the check: fabricated results ------------------------------------------------------------

def _runs(base: dict, editions: dict) -> dict:
    """{size: {"pages": {name: figures}}} for the pages named in ``base``/``editions``:
    (queries, median ms) pairs."""
    return {size: {"pages": {name: {"queries": q, "median_ms": ms}
                             for name, (q, ms) in figures.items()}}
            for size, figures in ((ONE_LANGUAGE_SIZE, base), (EDITIONS_SIZE, editions))}


def _check(found, page):
    return next(c for c in found if c["page"] == page)


def test_the_editions_check_compares_queries_and_times(monkeypatch):
    pages = [p for p in PAGES if p.name in ("home", "drafts", "comment matrix CSV", "policy")]
    monkeypatch.setattr("bench.run.PAGES", pages)
    runs = _runs({"home": (8, 100.0), "drafts": (9, 200.0), "comment matrix CSV": (7, 400.0),
                  "policy": (6, 5.0)},
                 {"home": (8, 150.0), "drafts": (10, 210.0), "comment matrix CSV": (7, 601.0),
                  "policy": (6, 14.9)})
    found = editions_checks([ONE_LANGUAGE_SIZE, EDITIONS_SIZE], runs)
    assert [c["page"] for c in found] == [p.name for p in pages]
    home = _check(found, "home")
    assert home["ok"] and home["limit_ms"] == 150.0 == EDITIONS_FACTOR * 100
    drafts = _check(found, "drafts")   # a query more: a query per row (or edition) crept in
    assert not drafts["ok"] and drafts["queries"] == {ONE_LANGUAGE_SIZE: 9, EDITIONS_SIZE: 10}
    assert drafts["same_queries"] is False and drafts["in_time"] is True
    csv = _check(found, "comment matrix CSV")   # 1.5x and a millisecond
    assert not csv["ok"] and csv["same_queries"] and not csv["in_time"]
    # Under the floor, a page may take EDITIONS_ALLOWANCE_MS more, not 1.5x.
    assert EDITIONS_FLOOR_MS == 20 and EDITIONS_ALLOWANCE_MS == 10
    policy = _check(found, "policy")
    assert policy["ok"] and policy["limit_ms"] == 15.0
    rows = {line.split(" | ")[0][2:]: line for line in editions_table(found).splitlines()[2:]}
    assert rows["drafts"] == "| drafts | 9 | 10 | 200.0 | 210.0 | 1.05 | - | - | - | **no** |"
    assert rows["home"].endswith("| 1.50 | - | - | - | yes |")


def test_the_floor_and_the_factor_meet():
    runs = _runs({"home": (8, 19.9), "drafts": (9, 20.0)}, {"home": (8, 29.9), "drafts": (9, 30.0)})
    found = {c["page"]: c for c in editions_checks([ONE_LANGUAGE_SIZE, EDITIONS_SIZE], runs,
                                                   pages=[p for p in PAGES
                                                          if p.name in ("home", "drafts")])}
    assert found["home"]["ok"] and found["home"]["limit_ms"] == 29.9
    assert found["drafts"]["ok"] and found["drafts"]["limit_ms"] == 30.0
    runs = _runs({"home": (8, 19.9)}, {"home": (8, 30.0)})
    assert not editions_checks([ONE_LANGUAGE_SIZE, EDITIONS_SIZE], runs,
                               pages=[p for p in PAGES if p.name == "home"])[0]["ok"]


def test_no_editions_check_unless_both_sizes_are_measured():
    runs = _runs({"home": (8, 10.0)}, {"home": (9, 100.0)})
    assert editions_checks(["small", ONE_LANGUAGE_SIZE], runs) == []
    assert editions_checks([EDITIONS_SIZE], runs) == []


def test_the_cpu_time_is_held_to_the_same_limit():
    """A machine busy during the one-language run makes every elapsed time there longer; the
    CPU time shows the page grew three times slower with editions."""
    runs = _runs({"home": (8, 300.0)}, {"home": (8, 200.0)})
    runs[ONE_LANGUAGE_SIZE]["pages"]["home"]["median_cpu_ms"] = 60.0
    runs[EDITIONS_SIZE]["pages"]["home"]["median_cpu_ms"] = 180.0
    home = [p for p in PAGES if p.name == "home"]
    check = editions_checks([ONE_LANGUAGE_SIZE, EDITIONS_SIZE], runs, pages=home)[0]
    assert check["same_queries"] and not check["in_time"] and not check["ok"]
    assert (check["limit_ms"], check["cpu_limit_ms"]) == (450.0, 90.0)
    runs[EDITIONS_SIZE]["pages"]["home"]["median_cpu_ms"] = 90.0
    assert editions_checks([ONE_LANGUAGE_SIZE, EDITIONS_SIZE], runs, pages=home)[0]["ok"]


def test_a_bookkeeping_write_in_one_request_is_not_a_query_more():
    runs = _runs({"home": (16, 100.0)}, {"home": (15, 100.0)})
    runs[ONE_LANGUAGE_SIZE]["pages"]["home"]["queries_varied"] = [15, 16]
    home = [p for p in PAGES if p.name == "home"]
    check = editions_checks([ONE_LANGUAGE_SIZE, EDITIONS_SIZE], runs, pages=home)[0]
    assert check["ok"] and check["queries"] == {ONE_LANGUAGE_SIZE: 15, EDITIONS_SIZE: 15}


def test_a_busy_machine_fails_the_elapsed_time_only_on_a_database_server():
    """On SQLite everything runs in the process: its CPU time decides, the elapsed time (twice
    as long while another program ran) is only shown; on PostgreSQL both must hold."""
    runs = _runs({"home": (8, 100.0)}, {"home": (8, 200.0)})
    runs[ONE_LANGUAGE_SIZE]["pages"]["home"]["median_cpu_ms"] = 60.0
    runs[EDITIONS_SIZE]["pages"]["home"]["median_cpu_ms"] = 62.0
    home = [p for p in PAGES if p.name == "home"]
    sizes = [ONE_LANGUAGE_SIZE, EDITIONS_SIZE]
    check = editions_checks(sizes, runs, pages=home)[0]
    assert check["ok"] and not check["elapsed_in_time"]
    assert not editions_checks(sizes, runs, pages=home, elapsed=True)[0]["ok"]
