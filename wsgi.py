"""In a checkout: ``gunicorn wsgi:app`` and ``flask --app wsgi`` (the same app as mab.wsgi)."""
from mab.wsgi import app  # noqa: F401
