"""Issue 15 item 9: the error summary above a form reads as sentences. A checkbox's statement or a
question is not glued to its message ("I have read this exact version and this is my
decision.: Confirm..."): the message stands alone, linked to its field; a short label still
names its field ("Sign-offs due by: Give a date."); rows of sub-forms give their own errors."""
import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, HiddenField, StringField
from wtforms.validators import InputRequired

from mab.validation.models import SignOff
from tests.validation.support import A, count, open_round, sign_form, world

SUMMARY = '{% from "_macros.html" import form_errors %}{{ form_errors(form) }}'


@pytest.fixture
def w(app, request_context):
    return world()


def items(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", i).strip() for i in re.findall(r"<li>(.*?)</li>", html, re.S)]


def test_the_sign_off_summary_gives_the_message_without_the_statement(client, login, w):
    round_ = open_round(w)
    login(w.people["board_member"])
    data = {k: v for k, v in sign_form(round_, "object", "", confirm=False).items()
            if k != "decision"}
    response = client.post(f"{A}/validation/{round_.id}/sign", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert items(summary) == [
        '<a href="#decision">Your decision: Choose your decision.</a>',
        '<a href="#confirm">Confirm that this decision is about this exact version.</a>']
    assert ".: " not in summary
    assert count(SignOff) == 0


class Row(Form):
    text = StringField("Action", validators=[InputRequired("Say what is to be done.")])
    due_on = DateField("Due")


class Sample(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[InputRequired()])
    why = StringField("Why close before the deadline?", validators=[InputRequired("Give it.")])
    agree = BooleanField("I understand that closing is final.",
                         validators=[InputRequired("Confirm that closing is final.")])
    seen = HiddenField(validators=[InputRequired("The page is out of date; open it again.")])
    rows = FieldList(FormField(Row), min_entries=2)


def test_each_kind_of_field_reads_naturally(app):
    with app.test_request_context("/", method="POST",
                                  data={"rows-0-text": "Book a room", "rows-1-due_on": "soon"}):
        form = Sample()
        assert not form.validate()
        html = render_template_string(SUMMARY, form=form)
    assert items(html) == [
        '<a href="#name">Name: This field is required.</a>',
        '<a href="#why">Give it.</a>',
        '<a href="#agree">Confirm that closing is final.</a>',
        "The page is out of date; open it again.",   # nothing to focus: no link
        '<a href="#rows-1-text">Action: Say what is to be done.</a>',
        '<a href="#rows-1-due_on">Due: Not a valid date value.</a>',
    ]
    assert "{" not in html   # no raw error structures of the sub-forms


def test_no_summary_without_errors(app):
    with app.test_request_context("/", method="POST", data={}):
        form = Sample(formdata=None)
        assert render_template_string(SUMMARY, form=form).strip() == ""
