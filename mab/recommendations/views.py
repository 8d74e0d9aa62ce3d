"""Pages of the recommendations register, each recommendation's details, CSV (issue 19)."""
from flask import Blueprint

bp = Blueprint("recommendations", __name__, url_prefix="/a/<slug>")
