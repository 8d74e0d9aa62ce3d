"""The indicator catalogue: frameworks, their categories, themes, questions and indicators."""
