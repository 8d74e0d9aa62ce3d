"""Pages of the evidence register: sources, each indicator's evidence, citations (issue 19)."""
from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/a/<slug>")
