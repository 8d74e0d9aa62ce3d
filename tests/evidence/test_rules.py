"""The evidence register's pure rules at their edges: which text is a source reference, how a
page numbers its citations, which years of data and links a source may have. No app."""
import pytest

from mab.evidence import rules


@pytest.mark.parametrize("text, cited", [
    ("", []),
    (None, []),
    ("No reference here.", []),
    ("Use rose [@src-12].", [12]),
    ("[@src-1][@src-2] and [@src-1] again", [1, 2]),      # each once, by first appearance
    ("[@src-3] then [@src-1] then [@src-2] then [@src-3]", [3, 1, 2]),
    ("[@src-0]", []),                                    # no source 0
    ("[@src-012]", []),                                  # no leading zero
    ("[@src-12a]", []),
    ("[@src-]", []),
    ("[@src- 12]", []),
    ("[@SRC-12]", []),                                   # as written, lower case
    ("[@src-12", []),
    ("@src-12]", []),
    ("[src-12]", []),
    ("[[@src-7]]", [7]),                                 # inside other brackets still cites
    ("`[@src-4]` in code", [4]),                         # the raw text is checked as written
    ("[@src-99999999999999999999]", [99999999999999999999]),
])
def test_references_at_their_edges(text, cited):
    assert rules.references(text) == cited


def test_reference_is_the_citation_syntax():
    assert rules.reference(12) == "[@src-12]"
    assert rules.references(rules.reference(12)) == [12]


def test_unknown_lists_the_numbers_not_known_in_order():
    text = "[@src-5] [@src-1] [@src-9] [@src-5] [@src-2]"
    assert rules.unknown(text, {1, 2}) == [5, 9]
    assert rules.unknown(text, {1, 2, 5, 9}) == []
    assert rules.unknown("", set()) == []
    assert rules.unknown("[@src-1]", frozenset()) == [1]


def test_numbering_by_first_appearance_across_texts():
    texts = ["Intro [@src-12].", None, "", "[@src-3] and [@src-12]", "[@src-7][@src-3]"]
    assert rules.numbering(texts) == {12: 1, 3: 2, 7: 3}


def test_numbering_leaves_unknown_sources_out_without_gaps():
    texts = ["[@src-12] [@src-99] [@src-3]"]
    assert rules.numbering(texts, known={3, 12}) == {12: 1, 3: 2}
    assert rules.numbering(texts, known=set()) == {}
    assert rules.numbering([]) == {}


@pytest.mark.parametrize("year, problem", [
    (None, None),
    (2022, None),          # this year
    (2023, "future"),
    (3000, "future"),
    (1900, None),
    (1899, "too_early"),
    (0, "too_early"),
    (-5, "too_early"),
])
def test_year_problem_at_its_edges(year, problem):
    assert rules.year_problem(year, 2022) == problem


@pytest.mark.parametrize("url, refused", [
    ("", False),
    (None, False),
    ("   ", False),
    ("https://stat.gov.kz/en/", False),
    ("http://example.org/a?b=c#d", False),
    ("HTTPS://EXAMPLE.ORG", False),
    ("  https://example.org  ", False),     # spaces around are trimmed
    ("javascript:alert(1)", True),
    ("ftp://example.org/file", True),
    ("mailto:someone@example.org", True),
    ("data:text/html,hi", True),
    ("example.org", True),
    ("//example.org", True),
    ("https://", True),
    ("https:///path", True),
    ("https://exa mple.org", True),
    ("http://[", True),
])
def test_link_problem_allows_only_http_addresses(url, refused):
    assert rules.link_problem(url) is refused
