#!/bin/sh
# The commands that build MAB's container image, in one place: deploy/Dockerfile runs them, and
# CI runs the ones that need no Docker (tests/test_deploy_kit.py: catalogues, runtime, check).
#
#   deploy/docker-build-steps.sh [all|deps|catalogues|install|runtime|check]...
#
#   deps        pip installs Babel (the catalogue compiler)
#   catalogues  compiles the Russian and Kazakh catalogues (.po -> .mo) in the source tree
#   install     pip installs MAB and its dependencies from the source tree (`pip install .`)
#   runtime     prepares APP_DIR, the folder the app runs in (gunicorn wsgi:app, flask --app wsgi)
#   check       imports the app from APP_DIR as production would and checks what it needs
#   all         every step above, in that order (the Dockerfile's build)
#
# Settings (environment): SRC (the source tree; default: this script's repository),
# APP_DIR (default /app), PYTHON (default python3), RUNTIME_MODE (auto|installed|copy):
#   installed  the installed package finds its templates, static files, migrations and
#              catalogues by itself: APP_DIR holds nothing of the source;
#   copy       it does not (the layout before the package ships them): the runtime files
#              (wsgi.py and mab/, which holds the templates, static files and migrations) are copied to APP_DIR;
#   auto       installed if the check below passes from an empty folder, else copy.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SRC=${SRC:-$(dirname "$here")}
APP_DIR=${APP_DIR:-/app}
PYTHON=${PYTHON:-python3}
RUNTIME_MODE=${RUNTIME_MODE:-auto}

say() { printf '== %s\n' "$*"; }

# Import the app as production does (no secrets, no files written) and check that it finds its
# templates, static files, migrations and compiled catalogues, none of them inside $SRC.
app_check() {   # $1: folder to run in, $2: "outside" to require files outside $SRC
    (cd "$1" && MAB_ENV=production SECRET_KEY=build-check DATABASE_URL=sqlite:// \
        MAB_INSTANCE_PATH="${TMPDIR:-/tmp}/mab-build-check" SRC="$SRC" WHERE="${2:-}" \
        "$PYTHON" - <<'PY'
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
try:
    import wsgi
except Exception as error:   # noqa: BLE001
    sys.exit(f"wsgi does not import here: {error}")
app = wsgi.app
src = Path(os.environ["SRC"]).resolve()
folders = {"templates": os.path.join(app.root_path, app.template_folder),
           "static": app.static_folder,
           "migrations": app.extensions["migrate"].directory,
           "catalogues": str(Path(app.root_path) / "translations")}
for name, folder in folders.items():
    path = Path(folder).resolve()
    if not path.is_dir():
        sys.exit(f"{name}: {path} is missing")
    if os.environ["WHERE"] == "outside" and (path == src or src in path.parents):
        sys.exit(f"{name}: {path} is inside the source tree")
for language in ("ru", "kk"):
    mo = Path(folders["catalogues"]) / language / "LC_MESSAGES" / "messages.mo"
    if not mo.is_file():
        sys.exit(f"{mo} is missing: compile the catalogues")
if not (Path(folders["templates"]) / "base.html").is_file():
    sys.exit("templates/base.html is missing")
print(f"app ok: {app.name} from {app.root_path}")
PY
    )
}

step_deps() {
    say "deps"
    "$PYTHON" -m pip install --no-cache-dir "babel>=2.14"
}

step_catalogues() {
    say "catalogues"
    "$PYTHON" -m babel.messages.frontend -q compile -d "$SRC/mab/translations"
}

step_install() {
    say "install"
    "$PYTHON" -m pip install --no-cache-dir "$SRC"
}

step_runtime() {
    mode=$RUNTIME_MODE
    mkdir -p "$APP_DIR"
    if [ "$mode" = auto ]; then
        empty=$(mktemp -d)
        if app_check "$empty" outside >/dev/null 2>&1; then mode=installed; else mode=copy; fi
        rm -rf "$empty"
    fi
    say "runtime: $mode, in $APP_DIR"
    if [ "$mode" = copy ]; then
        for item in wsgi.py mab; do
            rm -rf "${APP_DIR:?}/$item"
            cp -R "$SRC/$item" "$APP_DIR/$item"
        done
        find "$APP_DIR" -name __pycache__ -type d -prune -exec rm -rf {} +
    fi
}

step_check() {
    say "check"
    app_check "$APP_DIR"
}

[ $# -gt 0 ] || set -- all
for step in "$@"; do
    case $step in
        all) step_deps; step_catalogues; step_install; step_runtime; step_check ;;
        deps|catalogues|install|runtime|check) "step_$step" ;;
        *) echo "unknown step: $step (all, deps, catalogues, install, runtime, check)" >&2; exit 2 ;;
    esac
done
