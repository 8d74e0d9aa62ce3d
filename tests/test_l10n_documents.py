"""The documents MAB produces, in Russian and Kazakh, in the words of the glossary
(mab/translations/glossary.toml): the validation certificate lists its signatories with the
decision labels as nouns ("Иванов: Возражение", not "Возражаю") and says that the certified
version is frozen without the word for "approved" (kk бекіт-, which is how minutes are
approved; ru утвержд-/одобрен-); the report annex counts the decisions with the same nouns."""
import re

import pytest

from mab.extensions import db
from tests.reports.support import A, annex_world
from tests.validation.support import close, open_round, sign, text_of

NOUNS = {
    "ru": {"endorse": "Одобрение", "reservations": "Одобрение с оговорками",
           "object": "Возражение"},
    "kk": {"endorse": "Мақұлдау", "reservations": "Ескертпелермен мақұлдау",
           "object": "Қарсылық"},
}
# First-person verbs found in review: they read "Иванов: Возражаю" in a list of signatories.
VERBS = {"ru": ["Одобряю", "Возражаю"], "kk": ["Қолдаймын", "Қарсымын"]}
# The word for "approved" (and, in Russian, "endorsed") must not describe a frozen version.
APPROVED = {"ru": re.compile(r"утвержд|одобрен", re.I), "kk": re.compile(r"бекіт", re.I)}
FROZEN = {"ru": "зафиксирована", "kk": "құлыпталған"}
CIRCULATED = {"ru": "Разослана на обсуждение", "kk": "Талқылауға жіберілді"}
# Other words the glossary keeps out of these documents.
NEVER = {"ru": ["Перекличка", "Заявление", "Матрица"], "kk": ["белсенді", "кері қайтар", "раста"]}


@pytest.fixture
def w(app, request_context):
    """The annex's world (a closed round: one endorsement with reservations, one endorsement),
    in all three languages, plus a second round closed with an objection."""
    w = annex_world()
    w.assessment.languages = "en,ru,kk"
    db.session.commit()
    w.objected = open_round(w, w.second)
    sign(w, w.objected, "board_member", "object", "Rural data is missing.")
    close(w, w.objected)
    return w


def reader(w, language):
    observer = w.people["observer"]
    observer.language = language
    db.session.commit()
    return observer


def dd_after(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", html, re.S)
    assert match, label
    return match.group(1)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_certificate_in_the_glossary_terms(client, login, w, language):
    login(reader(w, language))
    nouns = NOUNS[language]

    page = client.get(f"{A}/validation/{w.round.id}/certificate")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    assert f'lang="{language}"' in html
    # The signatories, each with the decision as a noun.
    assert f"Aigerim Board, Ministry of Digital Development: {nouns['reservations']}" in text
    assert f"Second Member, KazNU: {nouns['endorse']}" in text
    for verb in VERBS[language]:
        assert verb not in text
    # The frozen-version sentence says frozen, not approved.
    frozen = dd_after(html, CIRCULATED[language])
    assert FROZEN[language] in frozen
    assert not APPROVED[language].search(frozen), frozen
    for word in NEVER[language]:
        assert word.lower() not in text.lower(), word

    objected = text_of(client.get(f"{A}/validation/{w.objected.id}/certificate"))
    assert f"Aigerim Board, Ministry of Digital Development: {nouns['object']}" in objected
    for verb in VERBS[language]:
        assert verb not in objected


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_annex_print_view_in_the_glossary_terms(client, login, w, language):
    login(w.people["coordinator"])
    e, r, o = (NOUNS[language][key] for key in ("endorse", "reservations", "object"))
    page = client.get(f"{A}/annex?lang={language}&print=1")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    assert f'lang="{language}"' in html
    # Both rounds, their decisions counted under the noun labels.
    assert f"{e}: 1 · {r.lower()}: 1 · {o.lower()}: 0" in text
    assert f"{e}: 0 · {r.lower()}: 0 · {o.lower()}: 1" in text
    for verb in VERBS[language]:
        assert verb.lower() not in text.lower()
    # Nothing in the annex (board, meetings held, consultations, validation) is "approved":
    # no minutes are approved in it, and a version is never.
    assert not re.search(r"утвержд|бекіт", text, re.I)
    for word in NEVER[language]:
        assert word.lower() not in text.lower(), word
