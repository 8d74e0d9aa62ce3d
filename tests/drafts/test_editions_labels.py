"""Editions in words (mab/editions/labels.py), the same on every page, in the reader's language."""
from mab.editions import labels
from mab.editions.rules import Summary


def test_the_status_words(app):
    with app.test_request_context("/"):
        assert labels.status_words(Summary("ru", 15, 15, 0, 0, source=True)) == "Source"
        assert labels.status_words(Summary("kk", 15, 15, 0, 0)) == "Complete"
        assert labels.status_words(Summary("kk", 15, 0, 0, 15)) == "Not started"
        assert labels.status_words(Summary("kk", 15, 12, 0, 3)) == "12 of 15 paragraphs"
        assert labels.status_words(Summary("kk", 15, 12, 3, 0)) == \
            "12 of 15 paragraphs · 3 outdated"
        assert labels.named([Summary("kk", 15, 12, 3, 0), Summary("en", 15, 0, 0, 15)]) == \
            "Қазақша (12 of 15 paragraphs · 3 outdated), English (Not started)"
        assert labels.language_name("kk") == "Қазақша"
        assert labels.language_name("xx") == "xx"

