"""The register's pure rules, without an app: category, grouping, filters, the details' digest,
one paragraph."""
import json
from types import SimpleNamespace as NS

from mab.recommendations import rules


def item_tree():
    r = NS(id=1, kind="category", code="R", parent=None, position=1)
    a = NS(id=2, kind="category", code="A", parent=None, position=2)
    theme = NS(id=3, kind="theme", code="R.B", parent=r, position=3)
    question = NS(id=4, kind="question", code="R.5", parent=theme, position=4)
    r51 = NS(id=5, kind="indicator", code="R.5.1", parent=question, position=5)
    a_theme = NS(id=6, kind="theme", code="A.B", parent=a, position=6)
    a31 = NS(id=7, kind="indicator", code="A.3.1", parent=NS(id=8, kind="question",
                                                              parent=a_theme, position=7),
             position=8)
    return r, a, r51, a31


def details(groups=(), indicators=(), findings=(), priority="medium", time_frame="medium",
            responsible=""):
    return NS(groups=list(groups), indicators=list(indicators), findings=list(findings),
              priority=priority, time_frame=time_frame, responsible=responsible)


def item(name, d=None):
    return NS(name=name, details=d)


def names(sections):
    return [((s.key.code if hasattr(s.key, "code") else s.key.name) if s.key else None,
             [i.name for i in s.items]) for s in sections]


def test_category_of_walks_up_three_parents_and_stops_at_none():
    r, a, r51, a31 = item_tree()
    assert rules.category_of(r51) is r
    assert rules.category_of(a31) is a
    assert rules.category_of(r) is r                      # a category is its own
    assert rules.category_of(None) is None
    orphan = NS(kind="indicator", parent=NS(kind="question", parent=None))
    assert rules.category_of(orphan) is None


def test_category_of_survives_a_loop_in_the_tree():
    loop = NS(kind="theme", parent=None)
    loop.parent = NS(kind="question", parent=loop)
    assert rules.category_of(loop) is None


def test_group_by_category_puts_an_item_under_each_of_its_categories_then_the_loose_ones():
    r, a, r51, a31 = item_tree()
    both = item("both", details(indicators=[a31, r51]))
    rights = item("rights", details(indicators=[r51]))
    bare = item("bare", details())
    none = item("none")
    sections = rules.group_by_category([both, rights, bare, none])
    assert names(sections) == [("R", ["both", "rights"]), ("A", ["both"]),
                               (None, ["bare", "none"])]


def test_group_by_category_without_items_is_empty():
    assert rules.group_by_category([]) == []


def test_group_by_addressee_follows_the_groups_order_and_lists_the_unaddressed_last():
    gov, cs, media = NS(id=1, name="Government"), NS(id=2, name="Civil society"), NS(
        id=3, name="Media")
    two = item("two", details(groups=[cs, gov]))
    one = item("one", details(groups=[cs]))
    nobody = item("nobody", details())
    undetailed = item("undetailed")
    other = item("other", details(groups=[NS(id=99, name="Elsewhere")]))
    sections = rules.group_by_addressee([two, one, nobody, undetailed, other], [gov, cs, media])
    assert names(sections) == [("Government", ["two"]), ("Civil society", ["two", "one"]),
                               (None, ["nobody", "undetailed", "other"])]


def test_matches_each_filter_and_an_item_without_details_only_without_filters():
    r, a, r51, a31 = item_tree()
    gov = NS(id=1)
    d = details(groups=[gov], indicators=[r51], priority="high", time_frame="short")
    it, bare = item("it", d), item("bare")
    assert rules.matches(bare, rules.Filters())
    assert not rules.matches(bare, rules.Filters(priority="high"))
    assert rules.matches(it, rules.Filters(group=1, category=r.id, priority="high",
                                           time_frame="short"))
    assert not rules.matches(it, rules.Filters(group=2))
    assert not rules.matches(it, rules.Filters(category=a.id))
    assert not rules.matches(it, rules.Filters(priority="low"))
    assert not rules.matches(it, rules.Filters(time_frame="long"))
    assert not rules.Filters().active and rules.Filters(group=1).active


def test_details_json_is_canonical_and_the_digest_follows_every_field():
    g1, g2, i1, f1 = NS(id=1), NS(id=2), NS(id=7), NS(id=9)
    one = {"p1": details(groups=[g2, g1], indicators=[i1], findings=[f1], priority="high",
                         time_frame="short", responsible="Ministry")}
    same = {"p1": details(groups=[g1, g2], indicators=[i1], findings=[f1], priority="high",
                          time_frame="short", responsible="Ministry")}
    assert json.loads(rules.details_json(one)) == {"p1": {
        "groups": [1, 2], "indicators": [7], "findings": [9], "priority": "high",
        "time_frame": "short", "responsible": "Ministry"}}
    assert rules.details_json(one) == rules.details_json(same)
    base = rules.details_digest(one)
    assert len(base) == 64
    for change in ({"groups": [g1]}, {"indicators": []}, {"findings": []}, {"priority": "low"},
                   {"time_frame": "long"}, {"responsible": "Parliament"}):
        values = {"groups": [g1, g2], "indicators": [i1], "findings": [f1], "priority": "high",
                  "time_frame": "short", "responsible": "Ministry", **change}
        assert rules.details_digest({"p1": details(**values)}) != base, change
    assert rules.details_digest({"p2": one["p1"]}) != base     # another paragraph


def test_one_paragraph():
    assert rules.one_paragraph("Publish the statistics.")
    assert rules.one_paragraph("  Two lines\nof one paragraph.  ")
    assert not rules.one_paragraph("")
    assert not rules.one_paragraph("   \n  ")
    assert not rules.one_paragraph("First.\n\nSecond.")
    assert not rules.one_paragraph("First.\n   \nSecond.")
    assert not rules.one_paragraph("```\ncode")
