"""Consultation meetings: scheduling, calendar invitations, RSVP, roll call and minutes."""


def __getattr__(name):
    """``mab.meetings.bp``: the feature's blueprint, imported when create_app asks for it (importing
    the feature's models or services does not load its views)."""
    if name == "bp":
        from mab.meetings.views import bp
        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
