"""The live server of the browser tests lets every request finish before its database goes."""
import threading

import pytest

from tests.browser.conftest import _Serving


def _start_response(status, headers):
    return None


def test_a_request_in_flight_is_waited_for():
    entered, release = threading.Event(), threading.Event()

    def slow(environ, start_response):
        entered.set()
        release.wait(5)
        start_response("200 OK", [])
        return [b"done"]

    serving = _Serving(slow)
    bodies = []
    request = threading.Thread(
        target=lambda: bodies.append(b"".join(serving({}, _start_response))))
    request.start()
    assert entered.wait(5)
    assert not serving.wait(timeout=0.05)
    release.set()
    assert serving.wait(timeout=5)
    request.join(5)
    assert bodies == [b"done"]


def test_a_response_the_server_drops_is_closed_and_counted_out():
    closed = []

    class Body:
        def __iter__(self):
            yield b"part one"
            yield b"part two"

        def close(self):
            closed.append(True)

    serving = _Serving(lambda environ, start_response: Body())
    body = serving({}, _start_response)
    assert next(body) == b"part one"
    assert not serving.wait(timeout=0)
    del body   # what the server does when the browser goes away mid-response
    assert closed == [True]
    assert serving.wait(timeout=0)


def test_an_app_that_raises_is_counted_out():
    def broken(environ, start_response):
        raise RuntimeError("boom")

    serving = _Serving(broken)
    with pytest.raises(RuntimeError):
        serving({}, _start_response)
    assert serving.wait(timeout=0)
