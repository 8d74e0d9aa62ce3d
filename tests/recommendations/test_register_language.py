"""The register speaks the reader's content language where a recommendation is translated
(issue 19 item 3: "a text in each content language once multilingual editions exist")."""
from mab.assessments.models import Role
from mab.drafts.queries import sees_uncirculated
from mab.editions import services as edition_services
from mab.extensions import db
from mab.recommendations import queries
from tests.recommendations.support_register import add, circulate_latest, rec_draft, world

EN_1, EN_2 = "Publish the register of blocked sites.", "Extend rural broadband."
RU_1 = "Публиковать реестр заблокированных сайтов."


def _register(assessment, language, role):
    return queries.in_language(queries.register(assessment, role), assessment, language,
                               team=sees_uncirculated(role))


def test_a_current_translation_is_shown_in_its_language_and_the_rest_in_the_source(app):
    assessment, people = world()
    assessment.languages = "en,ru"
    add(assessment, people, EN_1, groups=["Government"])
    add(assessment, people, EN_2, groups=["Private sector"])
    version = rec_draft(assessment).versions[-1]
    edition_services.save_paragraph(version, "ru", version.blocks[0]["id"], RU_1, revision=0,
                                    actor=people["researcher"], assessment=assessment)
    db.session.commit()

    items = _register(assessment, "ru", Role.RESEARCHER)
    assert [(i.text, i.language) for i in items] == [(RU_1, "ru"), (EN_2, "en")]
    # In the source language nothing changes.
    assert [(i.text, i.language) for i in _register(assessment, "en", Role.RESEARCHER)] == [
        (EN_1, "en"), (EN_2, "en")]


def test_an_outdated_translation_falls_back_to_the_source(app):
    assessment, people = world()
    assessment.languages = "en,ru"
    add(assessment, people, EN_1, groups=["Government"])
    version = rec_draft(assessment).versions[-1]
    edition_services.save_paragraph(version, "ru", version.blocks[0]["id"], RU_1, revision=0,
                                    actor=people["researcher"], assessment=assessment)
    version.body = EN_1 + " Now."
    version.blocks = [{"id": version.blocks[0]["id"], "text": EN_1 + " Now."}]
    db.session.commit()

    assert [(i.text, i.language) for i in _register(assessment, "ru", Role.RESEARCHER)] == [
        (EN_1 + " Now.", "en")]


def test_board_members_read_a_translation_only_once_it_was_circulated_with_the_version(app):
    assessment, people = world()
    assessment.languages = "en,ru"
    add(assessment, people, EN_1, groups=["Government"])
    add(assessment, people, EN_2, groups=["Private sector"])
    version = rec_draft(assessment).versions[-1]
    edition_services.save_paragraph(version, "ru", version.blocks[0]["id"], RU_1, revision=0,
                                    actor=people["researcher"], assessment=assessment)
    db.session.commit()
    circulate_latest(assessment, people)   # the Russian edition, incomplete, does not go with it
    db.session.commit()
    assert version.circulation.languages == ""
    assert [i.text for i in _register(assessment, "ru", Role.BOARD_MEMBER)] == [EN_1, EN_2]

    version.circulation.languages = "ru"
    db.session.commit()
    assert [i.text for i in _register(assessment, "ru", Role.BOARD_MEMBER)] == [RU_1, EN_2]
