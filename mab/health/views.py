"""``/healthz``: the process answers. ``/readyz``: it can serve (database, migrations).

Both are public, read nothing from the session and set no cookie, and are never cached.
"""
from flask import Blueprint, jsonify

from mab.health.checks import readiness

bp = Blueprint("health", __name__)


def _json(body: dict, status: int = 200):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return _json({"status": "ok"})


@bp.get("/readyz")
def readyz():
    ready, body = readiness()
    return _json(body, 200 if ready else 503)
