"""Going through a confirmation page (mab/confirmation.py, templates/_confirm.html) in HTTP tests:
the first POST answers with the page; its form carries the values back with ``confirm=1``."""
import html
import re

HIDDEN = re.compile(r'<input name="([^"]+)" type="hidden" value="([^"]*)"')


def confirmation_fields(response) -> dict:
    """The hidden fields of the confirmation form on ``response`` (the page must be one)."""
    body = response.get_data(as_text=True)
    assert 'class="card confirm"' in body, "not a confirmation page"
    form = body[body.index('class="card confirm"'):]
    return {name: html.unescape(value) for name, value in HIDDEN.findall(form)}


def post_confirmed(client, url, data=None, **kwargs):
    """POST ``data`` (expecting the confirmation page), then confirm with what it carries;
    ``data`` keeps the fields the page lets one still fill in (a message)."""
    first = client.post(url, data=dict(data or {}))
    assert first.status_code == 200, first.status_code
    fields = confirmation_fields(first)
    assert fields.get("confirm") == "1"
    return client.post(url, data={**(data or {}), **fields}, **kwargs)
