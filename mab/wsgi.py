"""The app for gunicorn (``gunicorn mab.wsgi:app``) and ``flask --app mab.wsgi``: works from any
folder once the package is installed."""
from mab import create_app

app = create_app()
