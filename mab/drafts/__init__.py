"""Draft findings, their versions, attachments and circulation to the board."""


def __getattr__(name):
    """``mab.drafts.bp``: the feature's blueprint, imported when create_app asks for it (importing
    the feature's models or services does not load its views)."""
    if name == "bp":
        from mab.drafts.views import bp
        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
