"""Issue 15 item 10: the outbox and the account keep the menu of the assessment the reader came
from (?a=<slug>, carried by the menu's links and remembered for the session), or of their only
assessment; never the menu of an assessment they are not a member of, whatever the address says.
The time zone of those pages stays the reader's own."""
import re

import pytest

from mab.assessments.models import Membership, Role
from mab.extensions import db
from tests.factories import make_assessment, make_member, make_user


def menu(html: str) -> str:
    return html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def slugs_in_menu(html: str) -> set[str]:
    return set(re.findall(r'href="/a/([^/"?]+)', menu(html)))


@pytest.fixture
def world(app):
    kz = make_assessment(slug="kz-2022", title="Kazakhstan 2022")
    uz = make_assessment(slug="uz-2023", title="Uzbekistan 2023")
    secret = make_assessment(slug="secret-2024", title="Secret assessment")
    both = make_member(kz, Role.COORDINATOR, email="both@example.org")
    make_member(uz, Role.BOARD_MEMBER, user=both)
    only_kz = make_member(kz, Role.BOARD_MEMBER, email="member@example.org")
    pending = make_member(kz, Role.RESEARCHER, email="pending@example.org")
    db.session.add(Membership(assessment=secret, user=pending, role=Role.COORDINATOR))  # pending
    admin = make_user(email="admin@example.org", is_site_admin=True)
    db.session.commit()
    return {"kz": kz, "uz": uz, "secret": secret, "both": both, "only_kz": only_kz,
            "pending": pending, "admin": admin}


@pytest.mark.parametrize("page", ["/outbox", "/account"])
def test_the_assessment_named_by_the_link_gives_its_menu(client, login, world, page):
    login(world["both"])
    html = client.get(f"{page}?a=kz-2022").get_data(as_text=True)
    assert slugs_in_menu(html) == {"kz-2022"}
    assert "Kazakhstan 2022" in html and '<span class="badge">Coordinator</span>' in html
    assert 'href="/a/kz-2022/audit"' in menu(html)          # the coordinator's own menu
    html = client.get("/account?a=uz-2023").get_data(as_text=True)
    assert slugs_in_menu(html) == {"uz-2023"}
    assert 'href="/a/uz-2023/audit"' not in menu(html)      # a board member's menu there
    # Without ?a= the session remembers the last one.
    html = client.get(page).get_data(as_text=True)
    assert slugs_in_menu(html) == {"uz-2023"}


def test_the_menu_links_carry_the_assessment(client, login, world):
    login(world["both"])
    html = client.get("/a/kz-2022/drafts").get_data(as_text=True)
    assert 'href="/account?a=kz-2022"' in menu(html)
    assert 'href="/outbox?a=kz-2022"' in menu(html)


def test_a_single_assessment_needs_no_link(client, login, world):
    login(world["only_kz"])
    html = client.get("/account").get_data(as_text=True)
    assert slugs_in_menu(html) == {"kz-2022"} and '<span class="badge">Board member</span>' in html


@pytest.mark.parametrize("forged", ["uz-2023", "secret-2024", "no-such-one"])
def test_a_forged_link_never_shows_another_assessment(client, login, world, forged):
    login(world["only_kz"])
    html = client.get(f"/account?a={forged}").get_data(as_text=True)
    assert slugs_in_menu(html) == {"kz-2022"}           # their own, the only one they have
    assert "Uzbekistan" not in html and "Secret assessment" not in html
    assert forged not in menu(html)


def test_a_forged_link_with_several_assessments_shows_none(client, login, world):
    login(world["both"])
    response = client.get("/account?a=secret-2024")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert slugs_in_menu(html) == set() and "Secret assessment" not in html


def test_a_pending_membership_gives_no_menu(client, login, world):
    login(world["pending"])                             # accepted in kz, pending in secret
    html = client.get("/account?a=secret-2024").get_data(as_text=True)
    assert "secret-2024" not in menu(html) and "Secret assessment" not in html
    assert slugs_in_menu(html) == {"kz-2022"}


def test_the_outbox_keeps_the_readers_time_zone_with_the_menu(client, login, world):
    login(world["both"])
    html = client.get("/outbox?a=kz-2022").get_data(as_text=True)
    assert slugs_in_menu(html) == {"kz-2022"}
    assert "Times are shown in the UTC time zone." in html   # not the assessment's Asia/Almaty


def test_the_site_admin_without_memberships_gets_no_assessment_menu(client, login, world):
    login(world["admin"])
    html = client.get("/outbox?a=kz-2022").get_data(as_text=True)
    assert slugs_in_menu(html) == set() and "Kazakhstan 2022" not in html
