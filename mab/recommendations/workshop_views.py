"""Pages of a validation workshop's recommendations and the board's positions (issue 19)."""
from flask import Blueprint

bp = Blueprint("workshop", __name__, url_prefix="/a/<slug>")
