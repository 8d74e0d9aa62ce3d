#!/bin/sh
# The commands that build MAB's container image, in one place: deploy/Dockerfile runs them, and
# CI runs all but `deps` (tests/test_deploy_kit.py: wheel, install, runtime, check).
#
#   deploy/docker-build-steps.sh [all|deps|wheel|install|runtime|check]...
#
#   deps     pip installs the wheel's build tools (setuptools >= 70.1 and Babel)
#   wheel    builds the wheel from the source tree into DIST: the package with its templates,
#            static files, migrations and the catalogues compiled from the .po files (setup.py)
#   install  pip installs that wheel and its dependencies (the `mab` command, mab.wsgi)
#   runtime  prepares APP_DIR, the folder the app runs in: nothing of the source goes there
#   check    imports mab.wsgi in APP_DIR as production would and checks that the installed
#            package, not a source tree, brings what it needs, in Russian and Kazakh too
#   all      every step above, in that order
#
# The Dockerfile runs `deps wheel` in its build stage (with the source) and `install runtime
# check` in the final image (with the wheel only). Settings (environment): SRC (the source tree;
# default: this script's repository), DIST (where the wheel goes; default /tmp/mab-dist),
# APP_DIR (default /app), PYTHON (default python3), PIP (default "$PYTHON -m pip"),
# INSTALL_ARGS (more arguments for `pip install`, e.g. --no-deps).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SRC=${SRC:-$(dirname "$here")}
DIST=${DIST:-/tmp/mab-dist}
APP_DIR=${APP_DIR:-/app}
PYTHON=${PYTHON:-python3}
PIP=${PIP:-"$PYTHON -m pip"}
INSTALL_ARGS=${INSTALL_ARGS:-}
WHEEL_NAME=mab_advisory_board   # the distribution mab-advisory-board (pyproject.toml)

say() { printf '== %s\n' "$*"; }

step_deps() {
    say "deps"
    $PIP install --no-cache-dir "setuptools>=70.1" "babel>=2.14"
}

step_wheel() {
    say "wheel: $SRC -> $DIST"
    mkdir -p "$DIST"
    rm -f "$DIST/$WHEEL_NAME"-*.whl
    $PIP wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir "$DIST" "$SRC"
    ls "$DIST/$WHEEL_NAME"-*.whl
}

step_install() {
    say "install"
    set -- "$DIST/$WHEEL_NAME"-*.whl
    [ -f "$1" ] || { echo "no wheel in $DIST: run the wheel step first" >&2; exit 1; }
    # shellcheck disable=SC2086  # INSTALL_ARGS holds several words
    $PIP install --no-cache-dir $INSTALL_ARGS "$1"
}

step_runtime() {
    say "runtime: $APP_DIR"
    mkdir -p "$APP_DIR"
    # gunicorn and flask put the working folder first on sys.path: an old copy of the source
    # there (wsgi.py, mab/) would be served instead of the installed package.
    for item in wsgi.py mab; do
        if [ -e "$APP_DIR/$item" ]; then
            echo "$APP_DIR/$item is a copy of the source: remove it (the package is installed)" >&2
            exit 1
        fi
    done
}

# Import the app as production does (no secrets, no files written) and check that the installed
# package brings its templates, static files, migrations and compiled catalogues, none of them
# from the source tree or the app folder, and that the `mab` command is installed beside Python.
step_check() {
    say "check"
    (cd "$APP_DIR" && MAB_ENV=production SECRET_KEY=build-check DATABASE_URL=sqlite:// \
        MAB_INSTANCE_PATH="${TMPDIR:-/tmp}/mab-build-check" SRC="$SRC" APP_DIR="$APP_DIR" \
        "$PYTHON" - <<'PY'
import os
import shutil
import sys
from pathlib import Path

try:
    from mab.wsgi import app
except Exception as error:   # noqa: BLE001
    sys.exit(f"mab.wsgi does not import here: {error}")
import mab

package = Path(mab.__file__).resolve().parent
for name in ("SRC", "APP_DIR"):
    folder = Path(os.environ[name]).resolve()
    if package == folder or folder in package.parents:
        sys.exit(f"mab is imported from {package}, inside {name} ({folder}), not installed")
folders = {"templates": os.path.join(app.root_path, app.template_folder),
           "static": app.static_folder,
           "migrations": app.extensions["migrate"].directory,
           "catalogues": str(Path(app.root_path) / "translations")}
for name, folder in folders.items():
    path = Path(folder).resolve()
    if not path.is_dir():
        sys.exit(f"{name}: {path} is missing")
    if package not in path.parents:
        sys.exit(f"{name}: {path} is not in the installed package {package}")
for required in ("templates/base.html", "static/css/mab.css", "migrations/env.py",
                 "migrations/alembic.ini"):
    if not (package / required).is_file():
        sys.exit(f"{package / required} is missing from the package")
from flask_babel import force_locale, gettext

with app.test_request_context("/"):
    for language in ("ru", "kk"):
        mo = Path(folders["catalogues"]) / language / "LC_MESSAGES" / "messages.mo"
        if not mo.is_file():
            sys.exit(f"{mo} is missing: the wheel was built without its catalogues")
        with force_locale(language):
            if gettext("Sign in") == "Sign in":
                sys.exit(f"the {language} catalogue does not translate 'Sign in'")
script = Path(sys.executable).parent / "mab"
if not (script.is_file() or shutil.which("mab")):
    sys.exit(f"the mab command is not installed ({script})")
print(f"app ok: {app.name} from {package}")
PY
    )
}

[ $# -gt 0 ] || set -- all
for step in "$@"; do
    case $step in
        all) step_deps; step_wheel; step_install; step_runtime; step_check ;;
        deps|wheel|install|runtime|check) "step_$step" ;;
        *) echo "unknown step: $step (all, deps, wheel, install, runtime, check)" >&2; exit 2 ;;
    esac
done
