from mab.auth.rules import password_problems


def test_good_password_passes():
    assert password_problems("demo-pass-123") == []
    assert password_problems("Steppe wind over Almaty 2022") == []


def test_too_short():
    assert password_problems("a7#kQ2") != []


def test_common_passwords_refused():
    for common in ("password123", "qwertyuiop", "iloveyou12", "1234567890"):
        assert password_problems(common), common


def test_email_inside_password_refused():
    problems = password_problems("aigerim.s-2022!", email="aigerim.s@example.org")
    assert any("email" in str(p) for p in problems)
    assert password_problems("aigerim.s@example.org", email="AIGERIM.S@example.org")


def test_overlong_refused():
    assert password_problems("x" * 300)
