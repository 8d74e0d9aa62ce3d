"""The signed board import preview (itsdangerous): bound to the file, the assessment and a day."""
import time

from mab.board.tokens import preview_is_genuine, sign_preview


def test_the_preview_signature_binds_the_file_and_the_assessment(app):
    with app.app_context():
        digest = sign_preview("ZmlsZQ==", 1)
        assert preview_is_genuine("ZmlsZQ==", digest, 1)
        assert not preview_is_genuine("ZmlsZg==", digest, 1)        # another file
        assert not preview_is_genuine("ZmlsZQ==", digest, 2)        # another assessment
        assert not preview_is_genuine("ZmlsZQ==", digest[:-2] + "xx", 1)
        assert not preview_is_genuine("ZmlsZQ==", "0" * 64, 1)
        assert not preview_is_genuine("ZmlsZQ==", "", 1)


def test_an_old_preview_is_refused(app, monkeypatch):
    with app.app_context():
        digest = sign_preview("ZmlsZQ==", 1)
        later = time.time() + 2 * 24 * 3600
        monkeypatch.setattr(time, "time", lambda: later)
        assert not preview_is_genuine("ZmlsZQ==", digest, 1)
