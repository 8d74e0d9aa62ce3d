"""The report's open data (issue 20 item 2): what ``collect`` gathers (validated content only,
the board as suppressed counts, no e-mail address) and the ZIP ``zip_bytes`` makes of it."""
import csv
import io
import json
import zipfile

from flask import current_app

from mab.extensions import db
from mab.report import opendata
from tests.evidence.support_coverage import add_source, set_status
from tests.recommendations.support_followup import report, validated_draft
from tests.recommendations.support_followup import world as followup_world
from tests.drafts.support import import_sample, make_draft
from tests.recommendations.support_followup import Followup
from tests.validation import support as validation


# --- pure rules ------------------------------------------------------------------------------

def test_a_row_with_a_small_cell_shows_it_as_under_three_and_withholds_its_other_genders():
    assert opendata.suppressed_row({"women": 3, "men": 4, "other_or_undisclosed": 0}) == \
        {"women": 3, "men": 4, "other_or_undisclosed": 0}
    assert opendata.suppressed_row({"women": 2, "men": 5, "other_or_undisclosed": 0}) == \
        {"women": "<3", "men": "suppressed", "other_or_undisclosed": "suppressed"}
    assert opendata.suppressed_row({"women": 1, "men": 1, "other_or_undisclosed": 3}) == \
        {"women": "<3", "men": "<3", "other_or_undisclosed": "suppressed"}


def test_the_totals_hide_their_genders_when_any_row_does_or_is_small():
    table = opendata.board_table([("Government", {"woman": 3, "man": 3}, 6),
                                  ("Academia", {"woman": 1, "man": 4}, 5)])
    assert table["groups"][0] == {"group": "Government", "women": 3, "men": 3,
                                  "other_or_undisclosed": 0, "total": 6}
    assert table["groups"][1]["women"] == "<3" and table["groups"][1]["total"] == 5
    assert table["totals"] == {"women": "suppressed", "men": "suppressed",
                               "other_or_undisclosed": "suppressed", "total": 11}
    open_table = opendata.board_table([("Government", {"woman": 3, "another": 1,
                                                       "undisclosed": 2, "man": 4}, 10)])
    assert open_table["groups"][0]["other_or_undisclosed"] == 3
    assert open_table["totals"] == {"women": 3, "men": 4, "other_or_undisclosed": 3, "total": 10}


def test_email_addresses_are_withheld_from_texts_and_links():
    assert opendata.scrub("Write to info@mdai.gov.kz today.") == "Write to […] today."
    assert opendata.public_url("mailto:info@mdai.gov.kz") == ""
    assert opendata.public_url("https://stat.gov.kz/") == "https://stat.gov.kz/"


def sample_data() -> dict:
    return {"assessment": "kz-2022", "title": "Қазақстан 2022", "language": "kk",
            "generated_on": "2026-12-04",
            "indicators": [{"code": "R.5.1", "title": "Ақпаратқа қол жеткізу құқығы",
                            "category_code": "R", "category": "Құқықтар", "theme_code": "R.5",
                            "theme": "Ақпарат", "data_status": "partial",
                            "data_status_label": "Ішінара деректер", "sources": 2}],
            "sources": [{"number": 1, "title": "=Статистика", "publisher": "Бюро", "year": 2021,
                         "url": "https://stat.gov.kz", "kind": "official_statistics",
                         "kind_label": "Ресми статистика", "gender_disaggregated": True,
                         "indicators": ["R.5.1", "A.3.1"]}],
            "recommendations": [], "board": opendata.board_table(
                [("Үкімет", {"woman": 2, "man": 3}, 5)]) | {"on": "2026-12-04"}}


def _csv(archive, name) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_zip_holds_each_file_with_a_bom_and_the_same_data_gives_the_same_bytes():
    data = sample_data()
    blob = opendata.zip_bytes(data)
    assert blob == opendata.zip_bytes(data)
    archive = zipfile.ZipFile(io.BytesIO(blob))
    assert archive.namelist() == ["README.txt", "indicators.csv", "sources.csv",
                                  "recommendations.csv", "board.csv", "data.json"]
    for name in ("indicators.csv", "sources.csv", "recommendations.csv", "board.csv"):
        assert archive.read(name).startswith("\ufeff".encode("utf-8")), name
    indicators = _csv(archive, "indicators.csv")
    assert indicators[0] == opendata.INDICATOR_COLUMNS
    assert indicators[1][:2] == ["R.5.1", "Ақпаратқа қол жеткізу құқығы"]
    sources = _csv(archive, "sources.csv")
    assert sources[1][1] == "'=Статистика"          # formula-safe
    assert sources[1][-1] == "R.5.1; A.3.1"
    board = _csv(archive, "board.csv")
    assert board[1] == ["Үкімет", "<3", "suppressed", "suppressed", "5"]
    assert board[2] == ["Total", "suppressed", "suppressed", "suppressed", "5"]
    assert json.loads(archive.read("data.json")) == data
    readme = archive.read("README.txt").decode("utf-8")
    assert "board.csv" in readme and "Қазақстан 2022" in readme


# --- collect -----------------------------------------------------------------------------------

def _world_with_sources():
    """follow-up's world, but the validated recommendations cite a source, and an uncirculated
    draft cites another; a third source is cited by nothing."""
    w = validation.world()
    import_sample(w.assessment, w.people["coordinator"])
    cited = add_source(w.assessment, ["R.5.1"], title="Household survey 2021")
    cited.url = "mailto:stats@example.org"
    secret = add_source(w.assessment, ["R.5.1"], title="Canary source in a draft")
    add_source(w.assessment, ["A.3.1"], title="Never cited")
    db.session.commit()
    texts = ["Publish removal statistics every year [@src-1]. Write to info@mdai.gov.kz.",
             "Extend mobile broadband to every village."]
    draft, version = validated_draft(w, texts)
    make_draft(w.assessment, w.people["researcher"], f"Uncirculated [@src-{secret.number}].",
               title="Canary draft")
    set_status(w.assessment, "R.5.1", "partial")
    f = Followup(w, draft, version, [(draft.id, b["id"]) for b in version.blocks])
    report(f, "coordinator", n=0, status="implemented", note="Done, see mail@example.org")
    return f


def test_collect_gathers_validated_content_counts_and_no_email(app):
    f = _world_with_sources()
    with current_app.test_request_context("/"):
        data = opendata.collect(f.assessment, language="en")
    assert data["assessment"] == "kz-2022" and data["language"] == "en"
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["R.5.1"]["data_status"] == "partial"
    assert by_code["R.5.1"]["data_status_label"] == "Partial data"
    assert by_code["R.5.1"]["sources"] == 2
    assert by_code["A.3.1"]["data_status"] == ""
    assert [s["title"] for s in data["sources"]] == ["Household survey 2021"]
    assert data["sources"][0]["url"] == "" and data["sources"][0]["indicators"] == ["R.5.1"]
    recs = data["recommendations"]
    assert len(recs) == 2
    assert recs[0]["text"].startswith("Publish removal statistics") and "@" not in recs[0]["text"]
    assert recs[0]["follow_up_status"] == "implemented"
    assert recs[0]["follow_up_label"] == "Implemented"
    assert recs[1]["follow_up_status"] == ""
    assert recs[0]["priority"] == "high" and recs[0]["priority_label"] == "High priority"
    assert recs[0]["responsible"] == "Ministry 1" and recs[0]["addressees"]
    assert recs[0]["validated_on"] == f.validated_on.isoformat()
    # Two serving members (a woman in one group, a man in another): every gender cell small.
    groups = {g["group"]: g for g in data["board"]["groups"] if g["total"]}
    assert sorted(g["total"] for g in groups.values()) == [1, 1]
    assert all(g["women"] in ("<3", "suppressed") for g in groups.values())
    assert data["board"]["totals"]["women"] == "suppressed"
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("Canary", "Never cited", "@", "Aigerim", "KazNU", "Done, see"):
        assert secret not in text
    archive = zipfile.ZipFile(io.BytesIO(opendata.zip_bytes(data)))
    for name in archive.namelist():
        assert b"@" not in archive.read(name), name


def test_collect_speaks_the_language_asked_for(app):
    f = followup_world()
    with current_app.test_request_context("/"):
        data = opendata.collect(f.assessment, language="ru")
    assert data["recommendations"][0]["priority_label"] == "Высокий приоритет"
    groups = [g["group"] for g in data["board"]["groups"]]
    assert "Правительство" in groups
