from flask import Blueprint

bp = Blueprint("notify", __name__)

from mab.notify import views  # noqa: E402,F401
