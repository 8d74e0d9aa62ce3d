"""The translation policy on the policy page (issue 18): the languages whose translation must be
complete before validation, and the two switches; audited like the other policy fields."""
import pytest
from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.extensions import db
from tests.factories import make_assessment, team

A = "/a/kz-2022"
POLICY = {"gender_min_pct": "40", "gender_max_pct": "60", "undisclosed_max_pct": "20",
          "group_min_members": "1", "group_max_pct": "30", "require_dispositions": "y"}


def events():
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "policy.updated")
                              .order_by(AuditEvent.id)).all()


def test_the_coordinator_sets_the_translation_policy(client, login):
    assessment, people = team()      # content languages ru, kk, en
    assert (assessment.required_languages, assessment.validate_complete_only,
            assessment.circulate_complete_only) == ("", True, False)
    login(people["coordinator"])
    page = client.get(f"{A}/policy").get_data(as_text=True)
    assert "Languages whose translation must be complete before validation" in page
    assert 'type="checkbox" value="kk"' in page and '<label for="required_languages-1" lang="kk">Қазақша</label>' in page
    assert 'checked id="validate_complete_only" name="validate_complete_only"' in page

    response = client.post(f"{A}/policy", data={
        **POLICY, "required_languages": ["en", "kk"], "validate_complete_only": "y",
        "circulate_complete_only": "y"})
    assert response.status_code == 302
    db.session.refresh(assessment)
    # Kept in the order of the content languages.
    assert (assessment.required_languages, assessment.validate_complete_only,
            assessment.circulate_complete_only) == ("kk,en", True, True)
    event, = events()
    assert event.changes["required_languages"] == [[], ["kk", "en"]]
    assert event.changes["circulate_complete_only"] == [False, True]
    assert "validate_complete_only" not in event.changes
    page = client.get(f"{A}/policy").get_data(as_text=True)
    assert '<input checked id="required_languages-1" name="required_languages" type="checkbox" ' \
        'value="kk">' in page
    assert '<input id="required_languages-0" name="required_languages" type="checkbox" ' \
        'value="ru">' in page

    # Unticking everything turns it all off again.
    client.post(f"{A}/policy", data=POLICY)
    db.session.refresh(assessment)
    assert (assessment.required_languages, assessment.validate_complete_only,
            assessment.circulate_complete_only) == ("", False, False)


def test_the_audit_log_names_the_languages(client, login):
    assessment, people = team()
    login(people["coordinator"])
    client.post(f"{A}/policy", data={**POLICY, "required_languages": ["kk"],
                                     "validate_complete_only": "y"})
    log = client.get(f"{A}/audit").get_data(as_text=True)
    assert "Translations required before validation" in log
    assert "— → Қазақша" in log
    assert '"kk"' not in log.split("Technical details")[0]


def test_a_language_that_is_not_a_content_language_is_refused(client, login):
    assessment, people = team()
    assessment.languages = "ru,kk"
    db.session.commit()
    login(people["coordinator"])
    response = client.post(f"{A}/policy", data={**POLICY, "required_languages": ["en"],
                                                "validate_complete_only": "y"})
    assert response.status_code == 422
    assert "is not a valid choice" in response.get_data(as_text=True)
    assert 'href="#required_languages"' in response.get_data(as_text=True)
    db.session.refresh(assessment)
    assert assessment.required_languages == "" and assessment.gender_min_pct == 40
    assert events() == []


def test_a_one_language_assessment_has_no_translation_policy(client, login):
    assessment, people = team(make_assessment(slug="kz-2022", languages="ru"))
    login(people["coordinator"])
    page = client.get(f"{A}/policy").get_data(as_text=True)
    assert "translation" not in page.lower()
    # Saving the other fields leaves the translation policy as it was (the form has no boxes).
    client.post(f"{A}/policy", data={**POLICY, "gender_min_pct": "35"})
    db.session.refresh(assessment)
    assert assessment.gender_min_pct == 35
    assert (assessment.validate_complete_only, assessment.circulate_complete_only) == (True, False)


@pytest.mark.parametrize("role", ["researcher", "board_member", "observer"])
def test_others_read_the_translation_policy_but_cannot_change_it(client, login, role):
    assessment, people = team()
    assessment.required_languages = "kk"
    db.session.commit()
    login(people[role])
    page = client.get(f"{A}/policy").get_data(as_text=True)
    assert "Validate only when required translations are complete" in page
    assert '<span lang="kk">Қазақша</span>' in page
    assert client.post(f"{A}/policy", data={**POLICY, "circulate_complete_only": "y"}
                       ).status_code == 403
    db.session.refresh(assessment)
    assert assessment.circulate_complete_only is False and events() == []
