"""Publication (issue 20 item 4): the coordinator publishes the report's validated state as
dated releases and may hide the public site; anyone reads /p/<slug>/ without signing in, and
nothing but validated content is ever reachable there.

The world (tests/releases/support_publication.py): kz-2022 with a validated finding, three
validated recommendations, a circulated finding never validated and commented, a draft never
circulated."""
import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from mab.audit.models import AuditEvent
from mab.comments.models import Comment
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.releases import services
from mab.releases.models import Release
from mab.validation.models import ValidationRound
from tests.recommendations import support_followup as followup
from tests.releases import support_publication as support
from tests.validation.support import text_of

A = "/a/kz-2022"
P = "/p/kz-2022"
PUBLIC_PAGES = ["/", "/ru/", "/kk/", "/en/", "/releases", "/r/1/", "/r/1/kk/",
                "/recommendations", "/board", "/data.zip"]
EMAIL = re.compile(support.EMAIL_PATTERN)


@pytest.fixture
def f(app):
    return support.world()


def state() -> tuple:
    a = db.session.scalar(select(Release.id).limit(1))
    return (db.session.scalar(select(func.count(Release.id))), a,
            db.session.scalar(select(func.count(AuditEvent.id))))


def published(f) -> Release:
    return support.publish(f.assessment, f.people["coordinator"])


# --- the coordinator's pages --------------------------------------------------------------------

def test_publishing_asks_first_with_the_figures_and_changes_nothing(f, client, login):
    login(f.people["coordinator"])
    before = state()
    response = client.post(f"{A}/releases/publish", data={})
    assert response.status_code == 200
    text = text_of(response)
    assert ("Release 1 will be public at http://localhost/p/kz-2022/ in Русский, Қазақша, "
            "English.") in text
    assert "It holds 1 validated finding, 3 recommendations." in text
    assert "It is the first release of this assessment." in text
    assert state() == before
    db.session.refresh(f.assessment)
    assert not f.assessment.site_published


def test_publishing_confirmed_stores_release_1_and_opens_the_site(f, client, login):
    login(f.people["coordinator"])
    page = client.post(f"{A}/releases/publish", data={}).get_data(as_text=True)
    manifest = re.search(r'name="manifest" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    response = client.post(f"{A}/releases/publish", data={"confirm": "1", "manifest": manifest})
    assert response.status_code == 302
    release = db.session.scalar(select(Release))
    assert (release.number, release.manifest_sha256, release.languages) == (1, manifest,
                                                                             "ru,kk,en")
    assert set(release.content["reports"]) == {"ru", "kk", "en"}
    db.session.refresh(f.assessment)
    assert f.assessment.site_published
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.action == "report.published" and event.changes["release"] == 1
    listing = client.get(f"{A}/releases")
    assert "Release 1 is published." in text_of(listing)
    assert manifest in listing.get_data(as_text=True)
    assert f'href="{P}/r/1/"' in listing.get_data(as_text=True)


def test_a_confirmation_of_figures_that_changed_asks_again(f, client, login):
    login(f.people["coordinator"])
    before = state()
    response = client.post(f"{A}/releases/publish", data={"confirm": "1", "manifest": "0" * 64})
    assert response.status_code == 200
    assert "The report changed since the last page" in text_of(response)
    assert state() == before


def test_nothing_validated_is_refused_and_nothing_is_stored(app, client, login):
    from tests.validation import support as validation
    w = validation.world()
    login(w.people["coordinator"])
    before = state()
    response = client.post(f"{A}/releases/publish", data={"confirm": "1"},
                           follow_redirects=True)
    assert ("Nothing is validated yet: a release carries validated content only."
            in text_of(response))
    assert state() == before
    with pytest.raises(Exception, match="Nothing is validated yet"):
        services.publish(w.assessment, w.people["coordinator"])


def test_unpublishing_asks_first_then_hides_the_site_and_keeps_the_releases(f, client, login):
    published(f)
    login(f.people["coordinator"])
    before = state()
    response = client.post(f"{A}/releases/unpublish", data={})
    assert response.status_code == 200
    text = text_of(response)
    assert "http://localhost/p/kz-2022/ and every page under it will answer" in text
    assert "The 1 release stays on record here" in text
    assert state() == before and client.get(f"{P}/").status_code == 200
    response = client.post(f"{A}/releases/unpublish", data={"confirm": "1"})
    assert response.status_code == 302
    db.session.refresh(f.assessment)
    assert not f.assessment.site_published
    assert db.session.scalar(select(func.count(Release.id))) == 1
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.action == "report.unpublished"
    for page in PUBLIC_PAGES:
        assert client.get(P + page).status_code == 404, page
    listing = client.get(f"{A}/releases")
    assert release_hash(1) in listing.get_data(as_text=True)
    assert "The public site is hidden" in text_of(listing)
    # Hiding a hidden site is refused, and changes nothing.
    before = state()
    refused = client.post(f"{A}/releases/unpublish", data={"confirm": "1"},
                          follow_redirects=True)
    assert "The public site is not published." in text_of(refused)
    assert state() == before


def release_hash(number) -> str:
    return db.session.scalar(select(Release.manifest_sha256).where(Release.number == number))


@pytest.mark.parametrize("who, code", [("coordinator", 200), ("researcher", 200),
                                       ("board_member", 200), ("observer", 200),
                                       ("translator", 403), ("outsider", 404)])
def test_who_reads_the_list_of_releases(f, client, login, who, code):
    login(f.people[who])
    assert client.get(f"{A}/releases").status_code == code


@pytest.mark.parametrize("who, code", [("researcher", 403), ("board_member", 403),
                                       ("observer", 403), ("outsider", 404)])
def test_only_the_coordinator_publishes_or_hides(f, client, login, who, code):
    published(f)
    login(f.people[who])
    before = state()
    for action in ("publish", "unpublish"):
        assert client.post(f"{A}/releases/{action}", data={"confirm": "1"}).status_code == code
    assert state() == before


def test_anonymous_is_sent_to_sign_in_for_the_coordinators_pages(f, client):
    assert client.get(f"{A}/releases").status_code == 302
    assert client.post(f"{A}/releases/publish", data={"confirm": "1"}).status_code == 302
    assert db.session.scalar(select(func.count(Release.id))) == 0


# --- the public site ----------------------------------------------------------------------------

def test_every_public_page_opens_without_signing_in(f, client):
    release = published(f)
    for page in PUBLIC_PAGES:
        response = client.get(P + page)
        assert response.status_code == 200, page
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        if page != "/data.zip":
            body = response.get_data(as_text=True)
            assert release.manifest_sha256 in body or page in ("/recommendations", "/board"), page
            assert "Sign out" not in body and "/a/kz-2022" not in body, page
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{P}/data.zip").data))
    assert "data.json" in archive.namelist()


def test_the_report_shows_its_validated_recommendations_in_the_visitors_language(f, client):
    published(f)
    with client.session_transaction() as session:
        session["language"] = "kk"
    page = client.get(f"{P}/")
    body = page.get_data(as_text=True)
    assert 'lang="kk"' in body and followup.TEXTS[0] in body
    assert 'aria-current="page">Қазақша' in body
    english = client.get(f"{P}/en/").get_data(as_text=True)
    assert '<div class="report" lang="en">' in english
    assert support.FINDING in english
    assert client.get(f"{P}/ky/").status_code == 404


def test_an_unknown_or_unpublished_assessment_answers_404_everywhere(f, client):
    for page in PUBLIC_PAGES:
        assert client.get(P + page).status_code == 404, page               # never published
        assert client.get("/p/nowhere" + page).status_code == 404, page    # no such assessment
    published(f)
    assert client.get("/p/uz-2023/").status_code == 404    # exists, never published
    assert client.get(f"{P}/r/2/").status_code == 404      # no such release


def test_publishing_twice_makes_two_releases_and_the_first_stays_readable(f, client):
    first = published(f)
    first_hash, first_content = first.manifest_sha256, first.content
    # The recommendations change (a second validated draft): the second release differs.
    followup.validated_draft(f.w, ["Open the spectrum auctions to new operators."],
                             title="More recommendations")
    second = published(f)
    assert (first.number, second.number) == (1, 2)
    assert second.manifest_sha256 != first_hash
    db.session.refresh(first)
    assert first.content == first_content
    old = client.get(f"{P}/r/1/").get_data(as_text=True)
    assert first_hash in old and "Open the spectrum auctions" not in old
    assert "the report as it was then" in text_of(client.get(f"{P}/r/1/"))
    new = client.get(f"{P}/").get_data(as_text=True)
    assert second.manifest_sha256 in new and "Open the spectrum auctions" in new
    listing = client.get(f"{P}/releases").get_data(as_text=True)
    assert first_hash in listing and second.manifest_sha256 in listing
    assert f"{P}/r/1/" in listing and f"{P}/r/2/" in listing


def test_the_recommendations_show_their_live_confirmed_follow_up_status(f, client):
    published(f)
    assert "No confirmed update yet" in text_of(client.get(f"{P}/recommendations"))
    followup.report(f, "coordinator", 0, status="partly_implemented")     # confirmed at once
    followup.report(f, "board_member", 1, status="implemented")           # only proposed
    text = text_of(client.get(f"{P}/recommendations"))
    assert followup.TEXTS[0] in text and "Partly implemented" in text
    assert "Implemented" not in text.replace("Partly implemented", "")


def test_the_board_page_suppresses_cells_under_three(f, client, monkeypatch):
    data = support.hand_open_data(f.assessment, "ru")
    data["board"]["groups"][1]["women"] = 1           # Academia: 1 woman, 5 men
    monkeypatch.setattr(services, "_open_data", lambda assessment, language: data)
    published(f)
    page = client.get(f"{P}/board").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    government = next(r for r in rows if "Government" in r)
    academia = next(r for r in rows if "Academia" in r)
    assert re.findall(r'class="num"[^>]*>(\d+)<', government) == ["4", "3", "0", "7"]
    assert re.findall(r'class="num"[^>]*>(\d+)<', academia) == ["6"]     # the total only
    assert academia.count("<abbr") == 3


# --- only validated content, no personal data ---------------------------------------------------

def _ids(model, *where) -> list[int]:
    return list(db.session.scalars(select(model.id).where(*where)))


def test_no_draft_version_or_comment_is_reachable_through_the_public_site(f, app, client):
    published(f)
    drafts = _ids(Draft, Draft.assessment_id == f.assessment.id)
    numbers = sorted({1, 2, 3, 99, *drafts, *_ids(DraftVersion), *_ids(Comment),
                      *_ids(ValidationRound)})
    languages = ["ru", "kk", "en", "ky", "xx", "draft", "comments", *map(str, drafts)]
    secrets = [support.UNVALIDATED, support.COMMENT, support.UNCIRCULATED,
               "Access is uneven."]
    seen = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/p/"):
            continue
        for number in numbers if "number" in rule.arguments else [None]:
            for language in languages if "language" in rule.arguments else [None]:
                values = {"slug": "kz-2022"}
                if number is not None:
                    values["number"] = number
                if language is not None:
                    values["language"] = language
                with app.test_request_context():
                    from flask import url_for
                    url = url_for(rule.endpoint, **values)
                for query in ("", f"?draft_id={drafts[0]}&version=1&comment={numbers[0]}"):
                    response = client.get(url + query)
                    seen += 1
                    assert response.status_code in (200, 404), url
                    body = response.get_data(as_text=True) if response.mimetype == "text/html" \
                        else _zip_text(response.data)
                    for secret in secrets:
                        assert secret not in body, (url, secret)
                    assert not EMAIL.search(body), (url, EMAIL.search(body).group(0))
    assert seen > 100


def _zip_text(data: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def test_no_email_address_in_any_public_response(f, client):
    published(f)
    for page in PUBLIC_PAGES:
        response = client.get(P + page)
        body = _zip_text(response.data) if page.endswith(".zip") else \
            response.get_data(as_text=True)
        assert not EMAIL.search(body), (page, EMAIL.search(body).group(0))


def test_the_lists_of_releases_run_the_same_queries_for_one_release_or_three(f, client, login):
    from tests.querycount import counting
    published(f)
    login(f.people["coordinator"])

    def counts():
        found = []
        for url in (f"{A}/releases", f"{P}/releases", f"{P}/", f"{P}/recommendations"):
            client.get(url)     # warm
            with counting() as statements:
                assert client.get(url).status_code == 200, url
            found.append(len(statements))
        return found

    one = counts()
    published(f)
    published(f)
    assert counts() == one


def test_the_board_and_the_open_data_follow_the_visitors_language(f, client, monkeypatch):
    def open_data(assessment, language):
        data = support.hand_open_data(assessment, language)
        data["board"]["groups"][0]["group"] = f"Government ({language})"
        return data

    monkeypatch.setattr(services, "_open_data", open_data)
    release = published(f)
    assert release.content["open_data"]["language"] == "ru"          # the main language's
    with client.session_transaction() as session:
        session["language"] = "kk"
    assert "Government (kk)" in client.get(f"{P}/board").get_data(as_text=True)
    response = client.get(f"{P}/data.zip")
    assert "data-kk.zip" in response.headers["Content-Disposition"]
    data = zipfile.ZipFile(io.BytesIO(response.data)).read("data.json").decode("utf-8")
    assert '"language": "kk"' in data


def test_publishing_an_unchanged_report_says_so_before_it_makes_a_new_release(f, client, login):
    first = published(f)
    login(f.people["coordinator"])
    text = text_of(client.post(f"{A}/releases/publish", data={}))
    assert "Release 2 will be public at" in text
    assert "Earlier releases stay readable." in text
    assert ("Its content is the same as release 1's (the same manifest hash): only the date of "
            "publication changes.") in text
    assert db.session.scalar(select(func.count(Release.id))) == 1
    page = client.post(f"{A}/releases/publish", data={}).get_data(as_text=True)
    assert first.manifest_sha256 in page      # the hidden field of the confirmation
