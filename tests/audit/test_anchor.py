"""Issue 13, finding 7: removing the newest audit events left a valid chain. An anchor (head hash,
count, time, HMAC) kept outside the database detects it, from the shell and from a file."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select

from mab.audit.anchor import Anchor, AnchorError, check_anchor, dump_anchor, load_anchor
from mab.audit.models import AuditEvent
from mab.audit.rules import GENESIS
from mab.audit.services import chain_head, check_against, record_event, verify_chain
from mab.extensions import db
from tests.factories import make_user

KEY = "test-secret-key-not-for-production"
HEAD = "a" * 64
AT = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)


class TestRules:
    def test_a_file_round_trips(self):
        anchor = Anchor(HEAD, 12, AT)
        assert load_anchor(dump_anchor(anchor, KEY), KEY) == anchor

    @pytest.mark.parametrize("tamper", [
        lambda text: text.replace('"count": 12', '"count": 11'),
        lambda text: text.replace(HEAD, "b" * 64),
        lambda text: text.replace("10:30", "10:31"),
    ])
    def test_an_altered_file_is_refused(self, tamper):
        text = dump_anchor(Anchor(HEAD, 12, AT), KEY).decode()
        with pytest.raises(AnchorError, match="signature"):
            load_anchor(tamper(text).encode(), KEY)

    def test_another_installations_key_is_refused(self):
        with pytest.raises(AnchorError, match="signature"):
            load_anchor(dump_anchor(Anchor(HEAD, 12, AT), KEY), "another-key")

    @pytest.mark.parametrize("data", [b"", b"not json", b"{}", b'{"format": "x"}', "\xff".encode(
        "latin-1"), b'{"format": "mab-audit-anchor/1", "head": "a", "count": 1, '
                    b'"at": "2026-12-04T10:30:00+00:00", "hmac": ""}'])
    def test_not_an_anchor(self, data):
        with pytest.raises(AnchorError):
            load_anchor(data, KEY)

    def test_check_at_its_edges(self):
        anchor = Anchor(HEAD, 5, AT)
        assert check_anchor(anchor, 5, HEAD).ok                  # nothing since
        assert check_anchor(anchor, 9, HEAD).ok                  # events added after: fine
        truncated = check_anchor(anchor, 3, None)
        assert not truncated.ok and truncated.missing == 2       # the newest two removed
        replaced = check_anchor(anchor, 5, "c" * 64)
        assert not replaced.ok and replaced.position_hash == "c" * 64


def _chain(n):
    actor = make_user()
    for i in range(n):
        record_event(f"test.step{i}", actor=actor, object_type="Thing", object_id=i)
    db.session.commit()


def _delete_newest(k):
    newest = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc())
                                .limit(k)).all()
    db.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(newest)))
    db.session.commit()


def test_truncation_passes_the_chain_check_but_not_the_anchor(app):
    _chain(6)
    anchor = chain_head()
    assert anchor.count == db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert check_against(anchor).ok
    _chain(2)                                    # later events do not spoil the anchor
    assert check_against(anchor).ok
    _delete_newest(4)                            # two after the anchor, and its last two
    assert verify_chain() is None                # the chain alone cannot tell
    result = check_against(anchor)
    assert not result.ok and result.missing == 2


def test_an_empty_chain_has_the_genesis_head(app):
    head = chain_head()
    assert (head.head, head.count) == (GENESIS, 0)
    assert check_against(head).ok


def test_cli_expect_and_anchor_detect_truncation(app, runner, tmp_path):
    _chain(5)
    head = chain_head()
    path = tmp_path / "anchor.json"
    path.write_bytes(dump_anchor(head, app.config["SECRET_KEY"]))
    ok = runner.invoke(args=["mab", "verify-audit", "--expect", head.head, "--anchor", str(path)])
    assert ok.exit_code == 0, ok.output
    assert "Expected head found at event 5 of 5." in ok.output
    assert "matches (event 5)" in ok.output

    _delete_newest(1)
    expect = runner.invoke(args=["mab", "verify-audit", "--expect", head.head])
    assert expect.exit_code == 1
    assert f"does not hold the expected head {head.head}" in expect.output
    assert "now ends at event 4" in expect.output
    anchored = runner.invoke(args=["mab", "verify-audit", "--anchor", str(path)])
    assert anchored.exit_code == 1 and "1 of its 5 events are missing" in anchored.output
    assert runner.invoke(args=["mab", "verify-audit"]).exit_code == 0   # chain alone: intact


def test_cli_refuses_a_forged_anchor(app, runner, tmp_path):
    _chain(2)
    path = tmp_path / "anchor.json"
    path.write_bytes(dump_anchor(chain_head(), "another-installation"))
    result = runner.invoke(args=["mab", "verify-audit", "--anchor", str(path)])
    assert result.exit_code == 1 and "signature does not match" in result.output
