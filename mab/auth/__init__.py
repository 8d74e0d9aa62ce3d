"""Accounts, sign-in, sessions and invitations."""


def __getattr__(name):
    """``mab.auth.bp``: the feature's blueprint, imported when create_app asks for it (importing
    the feature's models or services does not load its views)."""
    if name == "bp":
        from mab.auth.views import bp
        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
