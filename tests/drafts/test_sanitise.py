"""Markdown is rendered to HTML where nothing executable survives, on its own and on the page."""
import re

import pytest

from mab.markdown import render_markdown
from tests.drafts.support import A, Inspector, circulate, make_draft, setup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<div onclick=alert(1) onmouseover='alert(2)'>hover</div>",
    "<details open ontoggle=alert(1)>x</details>",
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![image](javascript:alert(1))",
    '[a](https://example.org "title" onmouseover="alert(1)")',
    "<javascript:alert(1)>",
    '<http://example.org/a"onmouseover="alert(1)>',
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:/">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<table><tr><td onmouseover=alert(1)>cell</td></tr></table>",
]
FORBIDDEN_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "form", "button", "meta",
                  "base", "style", "math", "details", "noscript", "link", "input", "video",
                  "audio", "frame", "frameset"}
# The site layout has its own forms, buttons and meta tags; none of these.
# The page's own disclosures (the phone menu, a version's details), known by their classes; a
# <details> that came from a draft's text has none.
PAGE_OWN = {("details", "site-menu"), ("details", "open-on-wide draft-meta")}


def forbidden_on_page(html) -> set[str]:
    return {tag for tag, attrs in Inspector(html).tags
            if tag in PAGE_FORBIDDEN and (tag, attrs.get("class")) not in PAGE_OWN}


PAGE_FORBIDDEN = {"script", "img", "svg", "iframe", "object", "embed", "base", "style", "math",
                  "details", "noscript", "frame", "video", "audio"}
SAFE_URL = re.compile(r"^(https?:|mailto:|#|/(?!/)|[^:]*$)", re.IGNORECASE)


def assert_harmless(html: str):
    page = Inspector(html)
    assert not page.names() & FORBIDDEN_TAGS, page.names()
    assert not [a for a in page.attributes() if a.startswith("on")], page.attributes()
    assert "style" not in page.attributes()
    for url in page.urls():
        assert SAFE_URL.match(url.strip()), url
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives(payload):
    assert_harmless(str(render_markdown(payload)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives_inside_other_markdown(payload):
    body = f"# Title\n\nSome *text* with {payload} inline.\n\n- item {payload}\n\n> {payload}"
    assert_harmless(str(render_markdown(body)))


def test_no_script_tag_whatever_the_case_or_nesting():
    html = str(render_markdown("<scr<script>ipt>alert(1)</scr</script>ipt>"))
    assert "<script" not in html.lower()


def test_links_lose_a_dangerous_href_and_keep_their_text():
    html = str(render_markdown("[read more](javascript:alert(1))"))
    assert "href" not in html and "read more" in html


def test_ordinary_markdown_still_renders():
    html = str(render_markdown(
        "# Heading\n\n**bold** and *em* and `code`\n\n- one\n- two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[UNESCO](https://www.unesco.org/) "
        "<https://example.org/x> [mail](mailto:team@example.org) [local](/a/kz-2022/drafts)"))
    for fragment in ["<h1>Heading</h1>", "<strong>bold</strong>", "<em>em</em>",
                     "<code>code</code>", "<li>one</li>", "<table>", "<td>1</td>",
                     'href="https://www.unesco.org/"', 'href="https://example.org/x"',
                     'href="mailto:team@example.org"', 'href="/a/kz-2022/drafts"']:
        assert fragment in html, fragment
    # Links leaving the site do not pass the opener or the referrer.
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_input_renders_nothing():
    assert str(render_markdown(None)) == "" and str(render_markdown("")) == ""


def test_a_draft_page_with_a_malicious_body_runs_nothing(client, login):
    assessment, people = setup()
    body = "\n\n".join(PAYLOADS)
    draft = make_draft(assessment, people["researcher"], body,
                       title='<script>alert("title")</script><img src=x onerror=alert(1)>')
    for who in ("researcher", "coordinator"):
        login(people[who])
        for url in (f"{A}/drafts/{draft.id}", f"{A}/drafts/{draft.id}/v/1", f"{A}/drafts"):
            response = client.get(url)
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            assert "<script" not in html.lower()
            assert not [a for a in Inspector(html).attributes() if a.startswith("on")]
            assert not forbidden_on_page(html)
            assert "&lt;script&gt;alert(&#34;title&#34;)" in html or \
                "&lt;script&gt;alert(&quot;title&quot;)" in html
    # Every payload became its own block, each rendered harmlessly.
    assert len(draft.versions[0].blocks) == len(PAYLOADS)

    circulate(draft, assessment, people["researcher"])
    login(people["board_member"])
    html = client.get(f"{A}/drafts/{draft.id}/v/1").get_data(as_text=True)
    # The only script is the page's own, from /static (the comment forms' helper).
    assert html.lower().count("<script") == 1
    assert '<script src="/static/js/comments.js" defer></script>' in html
    assert not [a for a in Inspector(html).attributes() if a.startswith("on")]


def test_the_preview_and_the_diff_are_harmless_too(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "Safe text.")
    circulate(draft, assessment, people["researcher"])
    login(people["researcher"])
    body = "\n\n".join(PAYLOADS)
    preview = client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": body, "change_summary": "", "base_revision": "1", "base_number": "1",
        "preview": "1"})
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert 'id="preview-heading"' in html
    assert "<script" not in html.lower()
    assert not [a for a in Inspector(html).attributes() if a.startswith("on")]
    assert len(draft.versions) == 1      # a preview saves nothing

    saved = client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": body, "change_summary": "<script>alert('summary')</script>",
        "base_revision": "1", "base_number": "1"})
    assert saved.status_code == 302
    for url in (f"{A}/drafts/{draft.id}/diff?a=1&b=2", f"{A}/drafts/{draft.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script" not in html.lower()
        assert not [a for a in Inspector(html).attributes() if a.startswith("on")]
        assert not forbidden_on_page(html)
