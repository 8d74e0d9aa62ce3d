"""Pages of follow-up updates, the follow-up dashboard and the annual report (issue 19)."""
from flask import Blueprint

bp = Blueprint("followup", __name__, url_prefix="/a/<slug>")
