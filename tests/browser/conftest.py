"""Browser tests: the real app served on 127.0.0.1, driven by headless Chromium (Playwright).

Every test here is marked ``browser``. Chromium is Debian's (/usr/bin/chromium); Playwright's
own download is never used. Without it the tests are skipped locally and fail in CI.

The database is a SQLite file under ``tmp_path`` (the server thread and the test share it through
separate connections), or PostgreSQL when TEST_DATABASE_URL is set.
"""
import gc
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server
from tests.smtp import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _no_browser(reason: str):
    if _in_ci():
        pytest.fail(f"Chromium is required in CI for the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)


# --- the app and its server ---------------------------------------------------------------------

@pytest.fixture
def database_url(tmp_path):
    if os.environ.get("TEST_DATABASE_URL"):
        return None   # the shared fixture uses PostgreSQL
    return f"sqlite:///{tmp_path}/live.sqlite"


@pytest.fixture
def live_port():
    return free_port()


@pytest.fixture
def live_url(live_port):
    return f"http://127.0.0.1:{live_port}"


@pytest.fixture
def app_overrides(live_url):
    # Emailed links must lead to the live server.
    return {"BASE_URL": live_url}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class _Serving:
    """The app with every response closed however its sending ends, and a count of the requests
    in flight.

    Werkzeug's development server skips ``close()`` when the browser drops the connection
    mid-response (a favicon request cut short when the page moves on), which left the static
    file open for the garbage collector: a ResourceWarning, an error under ``filterwarnings =
    error``. Closing happens here, in the generator's ``finally``, as soon as the server lets go
    of it.

    Its request threads are daemons that ``server_close()`` does not wait for, so a request the
    browser sent as a test ended could still hold a database connection when the ``app`` fixture
    disposed of the engine; returned afterwards to the old pool, the connection was left to the
    garbage collector (psycopg's "deleted while still open" in a later test). ``wait`` lets the
    server's teardown see every request through first."""

    def __init__(self, app):
        self.app = app
        self.in_flight = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.in_flight += 1
        try:
            iterable = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return self._body(iterable)

    def _body(self, iterable):
        try:
            yield from iterable
        finally:
            try:
                if hasattr(iterable, "close"):
                    iterable.close()
            finally:
                self._done()

    def _done(self):
        with self.idle:
            self.in_flight -= 1
            self.idle.notify_all()

    def wait(self, timeout: float) -> bool:
        """True once no request is in flight; False if some still are after ``timeout``."""
        with self.idle:
            return self.idle.wait_for(lambda: self.in_flight == 0, timeout=timeout)


@pytest.fixture
def live_server(app, live_port, live_url):
    serving = _Serving(app)
    server = make_server("127.0.0.1", live_port, serving, threaded=True,
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="mab-live-server", daemon=True)
    thread.start()
    try:
        yield live_url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        # A response whose generator the server dropped is closed when the garbage collector
        # finds it; collecting first lets such a request count itself out.
        if not serving.wait(timeout=0.5):
            gc.collect()
            serving.wait(timeout=10)


# --- the browser --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _no_browser(f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run "
                    "browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:   # pragma: no cover - the test extra is not installed
        _no_browser(f"Playwright is not installed ({error}); pip install -e '.[test]'")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        _no_browser(f"Playwright could not start Chromium at {CHROMIUM}: {error}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (own cookies); closed after the test, before the live server
    stops, so that no request of the test's pages is left running when its database goes."""
    contexts = []

    def _new_page(**options):
        settings = {"locale": "en-US", "viewport": {"width": 1280, "height": 800}}
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, live_server):
    return new_page()


# --- accessibility ------------------------------------------------------------------------------

_axe = None


def _format_violations(page, violations) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  [{v.get('helpUrl', '')}]")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())
            lines.append(f"    target: {target}")
            lines.append(f"      html: {html[:300]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + " ".join(summary.split()))
    return "\n".join(lines)


def check_accessibility(page) -> None:
    """Run axe-core on the page as it is now and require zero violations."""
    global _axe
    from axe_playwright_python.sync_playwright import Axe

    if _axe is None:
        _axe = Axe()
    page.wait_for_load_state("load")
    results = _axe.run(page)
    violations = results.response["violations"]
    assert not violations, _format_violations(page, violations)


@pytest.fixture
def axe_check():
    return check_accessibility
