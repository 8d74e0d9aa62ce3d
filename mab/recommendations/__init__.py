"""Policy recommendations: the paragraphs of a recommendations draft with their structured
details, the validation workshop's positions and the follow-up after publication (issue 19)."""
