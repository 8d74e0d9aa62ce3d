from flask import Blueprint

bp = Blueprint("assessments", __name__)

from mab.assessments import views  # noqa: E402,F401
