"""The package installs: a wheel built from a clean checkout works with no source tree.

A clone of HEAD (committed files only, so no compiled catalogue lying in the tree) is built into
a wheel with this venv's setuptools and Babel (no build isolation, nothing downloaded). The wheel
must hold the templates, static files, migrations and both compiled catalogues. It is installed
into a fresh venv outside the tree, whose dependencies come from this venv through a .pth file
(the checkout's editable install does not come along: its finder is only activated by a .pth of
this venv's, which a .pth line does not process). From an empty folder: ``mab db upgrade``,
``mab seed-demo``, ``python -m flask --app mab.wsgi``, then gunicorn serves the sign-in page in
Russian and Kazakh with its stylesheet. About 20 s.

Without git or setuptools >= 70.1 the test is skipped, except in CI (CI=true), where it fails.
"""
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DISTRIBUTION = "mab_advisory_board"


def _missing_prerequisite() -> str | None:
    if shutil.which("git") is None:
        return "git is not installed"
    if not (ROOT / ".git").exists():
        return "not a git checkout"
    try:
        import babel  # noqa: F401
        from setuptools import __version__ as setuptools_version
    except ImportError as error:
        return f"cannot build a wheel here: {error}"
    if tuple(int(part) for part in setuptools_version.split(".")[:2]) < (70, 1):
        return f"setuptools {setuptools_version} < 70.1 (make install-test installs it)"
    return None


def _run(args, *, cwd, env=None, timeout=120):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, (f"{' '.join(map(str, args))} exited {result.returncode}\n"
                                    f"{result.stdout}\n{result.stderr}")
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, language=None):
    request = urllib.request.Request(url, headers={"Accept-Language": language} if language
                                     else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def wheel(tmp_path_factory):
    missing = _missing_prerequisite()
    if missing:
        if IN_CI:
            pytest.fail(f"the wheel test must run in CI: {missing}")
        pytest.skip(missing)
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    # safe.directory: CI may run as another user than the checkout's owner.
    _run(["git", "-c", f"safe.directory={ROOT}", "clone", "--quiet", "--no-hardlinks", ROOT, src],
         cwd=work)
    assert not list(src.rglob("*.mo")), "a compiled catalogue is committed"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "-w", work / "dist", src], cwd=work)
    (built,) = (work / "dist").glob("*.whl")
    assert built.name.startswith(f"{DISTRIBUTION}-")
    return built


def check_the_wheel_holds_what_the_app_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("mab/templates/base.html", "mab/templates/auth/login.html",
                 "mab/static/css/mab.css", "mab/migrations/env.py",
                 "mab/migrations/alembic.ini", "mab/migrations/script.py.mako",
                 "mab/framework/data/roamx-2018.csv", "mab/wsgi.py", "mab/config.py"):
        assert name in names, name
    versions = {name for name in names if name.startswith("mab/migrations/versions/")}
    in_tree = {f"mab/migrations/versions/{p.name}"
               for p in (ROOT / "mab" / "migrations" / "versions").glob("*.py")}
    assert versions and versions >= {v for v in in_tree if _committed(v)}
    for language in ("ru", "kk"):
        assert f"mab/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert not [name for name in names if name.endswith(".pyc") or "__pycache__" in name]
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "mab = mab.console:main" in entry_points


def _committed(path: str) -> bool:
    return subprocess.run(["git", "-c", f"safe.directory={ROOT}", "ls-files", "--error-unmatch",
                           path], cwd=ROOT,
                          capture_output=True).returncode == 0


def check_the_compiled_catalogues_are_the_po_files(wheel):
    """Compiled at build time from the committed .po: every translation is there."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    archive = zipfile.ZipFile(wheel)
    for language in ("ru", "kk"):
        prefix = f"mab/translations/{language}/LC_MESSAGES/messages"
        catalog = read_po(archive.open(f"{prefix}.po"))
        compiled = read_mo(archive.open(f"{prefix}.mo"))
        translated = {_key(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
        assert translated and translated == {_key(m.id) for m in compiled if m.id}
        assert compiled.get("Sign in").string == catalog.get("Sign in").string


def _key(message_id):
    """Plural messages have a pair of ids (a tuple from .po, a list from .mo)."""
    return tuple(message_id) if isinstance(message_id, (list, tuple)) else message_id


@pytest.fixture
def installed(wheel, tmp_path_factory):
    """A fresh venv outside the tree with the wheel installed; returns (python, bin dir)."""
    venv = tmp_path_factory.mktemp("venv") / "mab"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=venv).stdout.strip())
    # The dependencies: this venv's site-packages, after the new venv's own.
    (site / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
          "--no-index", wheel], cwd=venv)
    return python, venv / "bin"


@pytest.fixture
def folder(tmp_path):
    """An empty working folder and the environment of someone who installed the wheel."""
    here = tmp_path / "elsewhere"
    here.mkdir()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "LANG": "C.UTF-8", "DATABASE_URL": f"sqlite:///{tmp_path / 'mab.sqlite'}",
           "RATELIMIT_ENABLED": "false"}
    return here, env


def test_a_wheel_from_a_clean_checkout_installs_and_serves_three_languages(
        wheel, installed, folder):
    """One test, so that parallel workers (xdist) do not each build the wheel."""
    check_the_wheel_holds_what_the_app_needs(wheel)
    check_the_compiled_catalogues_are_the_po_files(wheel)
    python, bin_dir = installed
    here, env = folder
    where = _run([python, "-c", "import mab, flask; print(mab.__file__); print(flask.__file__)"],
                 cwd=here, env=env).stdout.split()
    assert Path(where[0]).is_relative_to(bin_dir.parent), "mab comes from the checkout"
    assert not Path(where[0]).is_relative_to(ROOT)
    assert Path(where[1]).is_relative_to(sysconfig.get_paths()["purelib"])

    upgraded = _run([bin_dir / "mab", "db", "upgrade"], cwd=here, env=env)
    assert "Running upgrade" in upgraded.stderr + upgraded.stdout
    seeded = _run([bin_dir / "mab", "seed-demo"], cwd=here, env=env)
    assert "Demo data loaded." in seeded.stdout
    # Flask's own CLI finds the app and its commands too.
    current = _run([python, "-m", "flask", "--app", "mab.wsgi", "db", "current"], cwd=here,
                   env=env)
    assert "(head)" in current.stdout
    again = _run([python, "-m", "flask", "--app", "mab.wsgi", "mab", "seed-demo", "--if-empty"],
                 cwd=here, env=env)
    assert "has data already" in again.stdout
    # Development's secret key and the uploads live in ./instance of the working folder.
    assert (here / "instance").is_dir()

    port = _free_port()
    server = subprocess.Popen([python, "-m", "gunicorn", "mab.wsgi:app", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1"],
                              cwd=here, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            time.sleep(0.2)
        pages = {language: _get(f"{base}/login", language) for language in ("ru", "kk", "en")}
        stylesheet = _get(f"{base}/static/css/mab.css")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert all(status == 200 for status, _ in pages.values()), output
    assert '<html lang="ru"' in pages["ru"][1] and "Войти" in pages["ru"][1]
    assert '<html lang="kk"' in pages["kk"][1] and "Кіру" in pages["kk"][1]
    assert '<html lang="en"' in pages["en"][1] and "Sign in" in pages["en"][1]
    assert "Войти" not in pages["en"][1]
    assert stylesheet[0] == 200 and "{" in stylesheet[1]


def test_the_mab_command_is_flasks_cli_with_the_apps_commands_at_the_top_level(app, runner):
    from mab.console import command

    help_text = runner.invoke(cli=command(), args=["--help"]).output
    for name in ("db", "run", "routes", "seed-demo", "worker", "send-outbox", "create-admin",
                 "verify-audit"):
        assert f"\n  {name} " in help_text, name
    assert "\n  mab " not in help_text and "--app" not in help_text
    result = runner.invoke(cli=command(), args=["verify-audit"])
    assert result.exit_code == 0 and "Audit chain intact: 0 events" in result.output
    # The old spelling keeps working: `flask --app mab.wsgi mab verify-audit`.
    assert "Audit chain intact" in runner.invoke(args=["mab", "verify-audit"]).output
    assert runner.invoke(cli=command(), args=["db", "--help"]).exit_code == 0
