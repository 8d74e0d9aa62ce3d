"""The audit trail: a hash-chained event log, its anchors and its page."""


def __getattr__(name):
    """``mab.audit.bp``: the feature's blueprint, imported when create_app asks for it (importing
    the feature's models or services does not load its views)."""
    if name == "bp":
        from mab.audit.views import bp
        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
