"""Pages of the coverage dashboard and its CSV (issue 19)."""
from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/a/<slug>")
