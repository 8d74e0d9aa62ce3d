"""The coverage dashboard's rules (pure): finding status, summaries, gaps, filters, pages."""
import pytest

from mab.drafts import rules as draft_rules
from mab.evidence import coverage as cov
from mab.evidence.models import DataStatus


def row(n=1, *, category="R", theme="R.B", data=None, sources=0, gender=0, finding=cov.NO_DRAFT):
    return cov.Row(id=n, code=f"{theme}.{n}", title=f"Indicator {n}", category_code=category,
                   category_title=f"Category {category}", theme_code=theme,
                   theme_title=f"Theme {theme}", data_status=data, sources=sources,
                   gender_sources=gender, finding=finding)


def test_the_data_keys_are_the_models_statuses_and_not_yet_assessed():
    assert set(cov.DATA_KEYS) == {s.value for s in DataStatus} | {cov.NOT_ASSESSED}
    assert set(cov.DATA_LABELS) == set(cov.DATA_KEYS)
    assert set(cov.FINDING_LABELS) == set(cov.FINDING_KEYS)


# --- finding status --------------------------------------------------------------------------

def test_an_indicator_without_drafts_has_no_draft():
    assert cov.finding_status([]) == cov.NO_DRAFT


@pytest.mark.parametrize("draft_status, expected", [
    (draft_rules.DRAFTING, cov.DRAFTING),
    (draft_rules.IN_CONSULTATION, cov.IN_CONSULTATION),
    (draft_rules.CONSULTATION_CLOSED, cov.IN_CONSULTATION),
    (draft_rules.SUPERSEDED, cov.IN_CONSULTATION),
    (draft_rules.NOT_VALIDATED, cov.IN_CONSULTATION),
    (draft_rules.IN_VALIDATION, cov.IN_VALIDATION),
    (draft_rules.VALIDATED, cov.VALIDATED),
])
def test_each_draft_status_gives_a_finding_status(draft_status, expected):
    assert cov.finding_status([draft_status]) == expected


def test_the_best_advanced_of_several_drafts_wins_in_any_order():
    statuses = [draft_rules.DRAFTING, draft_rules.VALIDATED, draft_rules.NOT_VALIDATED]
    assert cov.finding_status(statuses) == cov.VALIDATED
    assert cov.finding_status(reversed(statuses)) == cov.VALIDATED
    assert cov.finding_status([draft_rules.CONSULTATION_CLOSED, draft_rules.IN_VALIDATION,
                               draft_rules.DRAFTING]) == cov.IN_VALIDATION
    assert cov.finding_status([draft_rules.DRAFTING, draft_rules.DRAFTING]) == cov.DRAFTING


def test_an_unknown_draft_status_is_an_error_not_a_guess():
    with pytest.raises(KeyError):
        cov.finding_status(["archived"])


# --- summaries -------------------------------------------------------------------------------

def test_no_rows_summarise_to_nothing():
    summary = cov.summarise([])
    assert summary.categories == [] and summary.themes == []
    assert summary.total.indicators == 0 and summary.total.gender_share is None
    assert cov.gaps([]) == [] and cov.gaps_by_category([]) == []


def test_no_sources_give_no_share_not_zero():
    summary = cov.summarise([row(1, data="available"), row(2, data="no_data")])
    assert summary.total.with_sources == 0
    assert summary.total.gender_share is None


def test_the_gender_share_counts_indicators_with_a_source_not_sources():
    rows = [row(1, sources=5, gender=0), row(2, sources=1, gender=1), row(3, sources=3, gender=2),
            row(4, sources=0)]
    total = cov.summarise(rows).total
    assert (total.indicators, total.with_sources, total.with_gender) == (4, 3, 2)
    assert total.gender_share == pytest.approx(200 / 3)


def test_summaries_per_category_and_theme_in_catalogue_order_with_totals():
    rows = [row(1, category="R", theme="R.B", data="available", sources=2, gender=1,
                finding=cov.VALIDATED),
            row(2, category="R", theme="R.B", data="partial", sources=1),
            row(3, category="R", theme="R.C", finding=cov.DRAFTING),
            row(4, category="A", theme="A.B", data="not_applicable", finding=cov.IN_VALIDATION)]
    summary = cov.summarise(rows)
    assert [c.code for c in summary.categories] == ["R", "A"]    # never sorted by code
    assert [(t.code, t.category_code) for t in summary.themes] == [
        ("R.B", "R"), ("R.C", "R"), ("A.B", "A")]
    assert [t.code for t in summary.themes_of("R")] == ["R.B", "R.C"]
    r = summary.categories[0]
    assert r.title == "Category R" and r.indicators == 3
    assert r.data == {"available": 1, "partial": 1, "no_data": 0, "not_applicable": 0,
                      "not_assessed": 1}
    assert r.findings == {"no_draft": 1, "drafting": 1, "in_consultation": 0,
                          "in_validation": 0, "validated": 1}
    assert (r.with_sources, r.with_gender, r.gender_share) == (2, 1, 50)
    rc = summary.themes[1]
    assert (rc.indicators, rc.with_sources, rc.gender_share) == (1, 0, None)
    total = summary.total
    assert total.indicators == 4 and sum(total.data.values()) == 4
    assert sum(total.findings.values()) == 4 and total.findings["in_validation"] == 1


def test_all_not_applicable():
    rows = [row(n, data="not_applicable") for n in (1, 2, 3)]
    summary = cov.summarise(rows)
    assert summary.total.data["not_applicable"] == 3
    assert summary.total.gender_share is None
    assert cov.gaps(rows) == []       # nothing to collect for an indicator that does not apply
    assert cov.data_bar(summary.total) == [("not_applicable", 0.0, 100.0)]


def test_the_data_bar_adds_up_in_the_order_of_the_statuses():
    summary = cov.summarise([row(1, data="no_data"), row(2, data="available"), row(3),
                             row(4, data="available")])
    assert cov.data_bar(summary.total) == [("available", 0.0, 50.0), ("no_data", 50.0, 25.0),
                                           ("not_assessed", 75.0, 25.0)]
    assert cov.data_bar(cov.Summary()) == []


# --- gaps ------------------------------------------------------------------------------------

def test_gaps_say_why_in_catalogue_order():
    rows = [row(1, category="R", data="available", sources=1),              # no gap
            row(2, category="R", data="no_data", sources=1),
            row(3, category="R", data="partial"),
            row(4, category="A", theme="A.B"),                              # not assessed
            row(5, category="A", theme="A.B", data="available"),            # no source
            row(6, category="C", theme="C.1", data="not_applicable"),       # no gap
            row(7, category="R", theme="R.C", data="available", sources=2)]  # no gap
    found = cov.gaps(rows)
    assert [(g.row.id, g.reasons) for g in found] == [
        (2, ("no_data",)), (3, ("partial", "no_source")), (4, ("not_assessed", "no_source")),
        (5, ("no_source",))]
    groups = cov.gaps_by_category(found)
    assert [(g.code, g.title, [x.row.id for x in g.gaps]) for g in groups] == [
        ("R", "Category R", [2, 3]), ("A", "Category A", [4, 5])]
    assert set(cov.GAP_LABELS) == {r for g in found for r in g.reasons}


# --- filters and pages -----------------------------------------------------------------------

def test_filters_combine_and_an_empty_value_is_any():
    rows = [row(1, category="R", data="available", finding=cov.VALIDATED),
            row(2, category="R"), row(3, category="A", theme="A.B", data="available")]
    assert [r.id for r in cov.filter_rows(rows)] == [1, 2, 3]
    assert [r.id for r in cov.filter_rows(rows, category="R")] == [1, 2]
    assert [r.id for r in cov.filter_rows(rows, data="available")] == [1, 3]
    assert [r.id for r in cov.filter_rows(rows, data="not_assessed")] == [2]
    assert [r.id for r in cov.filter_rows(rows, category="A", finding="validated")] == []
    assert [r.id for r in cov.filter_rows(rows, finding="no_draft")] == [2, 3]


def test_pages_of_a_list():
    items = list(range(250))
    first = cov.paginate(items, 1, 100)
    assert (first.items[0], len(first.items), first.pages, first.total) == (0, 100, 3, 250)
    assert not first.has_prev and first.has_next and first.next_num == 2
    last = cov.paginate(items, 3, 100)
    assert last.items == list(range(200, 250)) and last.has_prev and not last.has_next
    assert cov.paginate(items, 99, 100).page == 3 and cov.paginate(items, -4, 100).page == 1
    empty = cov.paginate([], 1, 100)
    assert (empty.items, empty.pages, empty.has_next, empty.has_prev) == ([], 1, False, False)


def test_csv_cells_are_labels_not_codes(app):
    with app.test_request_context("/"):
        cells = cov.csv_cells(row(1, data="no_data", sources=2, gender=1,
                                  finding=cov.IN_CONSULTATION))
        gap = cov.gap_csv_cells(cov.Gap(row(2), ("not_assessed", "no_source")))
    assert cells == ["R.B.1", "Indicator 1", "R", "Category R", "R.B", "Theme R.B", "No data",
                     2, 1, "In consultation"]
    assert len(cells) == len(cov.CSV_HEADER)
    assert gap[-1] == "Data status not yet assessed; No source"
    assert gap[-3] == "Not yet assessed" and len(gap) == len(cov.GAPS_CSV_HEADER)
