from datetime import timedelta

import pytest

from mab.auth.models import TokenPurpose
from mab.auth.tokens import TokenError, check_token, consume_token, issue_token
from mab.extensions import db
from tests.factories import make_user


def test_token_round_trip_and_single_use(app):
    user = make_user()
    raw = issue_token(user, TokenPurpose.RESET, timedelta(hours=1))
    row = check_token(raw, TokenPurpose.RESET)
    assert row.user is user
    consume_token(row)
    with pytest.raises(TokenError, match="already been used"):
        check_token(raw, TokenPurpose.RESET)


def test_expired_token_refused(app):
    user = make_user()
    raw = issue_token(user, TokenPurpose.RESET, timedelta(hours=-1))
    with pytest.raises(TokenError, match="expired"):
        check_token(raw, TokenPurpose.RESET)


def test_tampered_or_other_purpose_refused(app):
    user = make_user()
    raw = issue_token(user, TokenPurpose.INVITE, timedelta(days=7))
    with pytest.raises(TokenError, match="not valid"):
        check_token(raw[:-2] + ("AA" if raw[-2:] != "AA" else "BB"), TokenPurpose.INVITE)
    with pytest.raises(TokenError, match="not valid"):
        check_token(raw, TokenPurpose.RESET)


def test_using_one_reset_link_spends_the_others(app):
    user = make_user()
    first = issue_token(user, TokenPurpose.RESET, timedelta(hours=1))
    second = issue_token(user, TokenPurpose.RESET, timedelta(hours=1))
    consume_token(check_token(second, TokenPurpose.RESET))
    db.session.flush()
    with pytest.raises(TokenError):
        check_token(first, TokenPurpose.RESET)


def test_only_the_hash_of_the_nonce_is_stored(app):
    from mab.auth.models import AccountToken
    user = make_user()
    raw = issue_token(user, TokenPurpose.RESET, timedelta(hours=1))
    row = db.session.scalars(db.select(AccountToken)).one()
    assert len(row.nonce_hash) == 64 and row.nonce_hash not in raw
