"""Board registry, stakeholder groups, policy and the balance dashboard."""


def __getattr__(name):
    """``mab.board.bp``: the feature's blueprint, imported when create_app asks for it (importing
    the feature's models or services does not load its views)."""
    if name == "bp":
        from mab.board.views import bp
        return bp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
