"""Languages: every string translated into Russian and Kazakh, the switcher, and dates."""
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import g, render_template_string

from mab.extensions import db
from tests.factories import make_assessment, make_user, team

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("mab/**.py", "python"), ("mab/templates/**.html", "jinja2"), ("mab/templates/**.txt", "jinja2")]


def source_messages() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS,
            options_map={"mab/templates/**.html": {}, "mab/templates/**.txt": {}}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_catalogue_is_complete(language):
    path = ROOT / "mab" / "translations" / language / "LC_MESSAGES" / "messages.po"
    catalog = read_po(BytesIO(path.read_bytes()), locale=language)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            continue
        translated[key] = strings
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"


def test_switching_language_as_anonymous_and_as_user(client, login):
    assert b"Sign in" in client.get("/login").data
    client.post("/language", data={"language": "ru", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="ru"' in page and "Sign in" not in page
    client.post("/language", data={"language": "kk", "next": "/login"})
    assert 'lang="kk"' in client.get("/login").get_data(as_text=True)

    user = login(make_user(language="en"))
    db.session.commit()
    client.post("/language", data={"language": "ru", "next": "/account"})
    db.session.refresh(user)
    assert user.language == "en"   # the session's language only, unless asked
    client.post("/language", data={"language": "ru", "remember": "y", "next": "/account"})
    db.session.refresh(user)
    assert user.language == "ru"


def test_browser_language_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"})
    assert 'lang="kk"' in page.get_data(as_text=True)
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert 'lang="en"' in page.get_data(as_text=True)


def test_user_language_wins_over_the_browser(client, login):
    login(make_user(language="ru"))
    db.session.commit()
    page = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="ru"' in page


def test_dates_shown_in_the_assessment_timezone(app):
    assessment = make_assessment(timezone="Asia/Almaty")
    moment = datetime(2022, 3, 15, 4, 0, tzinfo=timezone.utc)   # 09:00 or 10:00 in Almaty
    with app.test_request_context("/"):
        g.assessment = assessment
        almaty = render_template_string("{{ t|time }}", t=moment)
    with app.test_request_context("/"):
        for name in list(g.__dict__):   # the app context (and g) is shared with the block above
            delattr(g, name)
        utc = render_template_string("{{ t|time }}", t=moment)
    # The locale's short time, without seconds (CLDR puts a narrow no-break space before AM).
    assert utc == "4:00\u202fAM"
    assert almaty in {"9:00\u202fAM", "10:00\u202fAM"}


def test_russian_pages_render(client, login):
    assessment, people = team()
    people["coordinator"].language = "ru"
    db.session.commit()
    login(people["coordinator"])
    for path in ("/a/kz-2022/", "/a/kz-2022/people", "/account", "/outbox"):
        response = client.get(path)
        assert response.status_code == 200 and 'lang="ru"' in response.get_data(as_text=True)
