"""The app for gunicorn (``gunicorn mab.wsgi:app``) and ``flask --app mab.wsgi``: works from any
folder once the package is installed."""
import gc

from mab import create_app

app = create_app()
# What is alive once the app is made (its modules, templates' code, translations) lives as long as
# the worker: set it aside from the garbage collector, so that a full collection during a large
# export does not walk all of it again (make bench: a matrix CSV's time then no longer depends on
# whether one falls inside it).
gc.freeze()
