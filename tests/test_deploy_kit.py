"""The deployment kit under deploy/: compose, Dockerfile, systemd units and the build steps.

Docker may be absent here: the files' structure is checked, and the build's commands run
without Docker (deploy/docker-build-steps.sh wheel, install, runtime, check: build the wheel from a
copy of the source, install it into a fresh venv outside the tree, prepare an empty app folder and
import the app there as production does; ~15 s). Only `deps` (pip from the network) runs in the
image build alone; the fresh venv takes its dependencies from this one (a .pth file), as
tests/test_wheel.py does.
"""
import configparser
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def dockerfile_instructions():
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def test_compose_services_and_their_order(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "migrate", "web", "worker"}
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:15")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["migrate"]["command"] == ["mab", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["postgres"] == {"condition": "service_healthy"}
    assert set(compose["volumes"]) >= {"pgdata", "uploads"}


def test_compose_commands_and_settings(compose):
    services = compose["services"]
    web, worker = services["web"]["command"], services["worker"]["command"]
    assert web[0] == "gunicorn" and web[-1] == "mab.wsgi:app" and "0.0.0.0:8000" in web
    assert worker[:2] == ["mab", "worker"] and "--interval" in worker
    assert services["worker"]["healthcheck"] == {"disable": True}
    for name in ("migrate", "web", "worker"):
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["env_file"] == ".env"
        assert service["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert service["environment"]["MAB_ENV"] == "production"
    # The web command is the image's own.
    (cmd,) = [json.loads(rest) for word, rest in dockerfile_instructions() if word == "CMD"]
    assert cmd == web


def test_env_example_names_every_setting_the_kit_needs():
    names = {line.split("=", 1)[0] for line in (DEPLOY / "env.example").read_text().splitlines()
             if line and not line.startswith("#")}
    assert names >= {"MAB_ENV", "SECRET_KEY", "BASE_URL", "DATABASE_URL", "POSTGRES_PASSWORD",
                     "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME",
                     "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "LOG_LEVEL",
                     "TRUSTED_PROXY_COUNT"}


def test_dockerfile_is_slim_non_root_and_runs_the_build_steps():
    instructions = dockerfile_instructions()
    # Two stages: the wheel is built with the source; the image installs the wheel only.
    starts = [i for i, (word, _) in enumerate(instructions) if word == "FROM"]
    assert len(starts) == 2 and instructions[starts[0]][1].endswith(" AS build")
    build, instructions = instructions[starts[0]:starts[1]], instructions[starts[1]:]
    assert ("COPY", ". /src") in build
    assert any(w == "RUN" and "docker-build-steps.sh deps wheel" in rest for w, rest in build)
    assert not [rest for word, rest in instructions if word == "COPY" and rest.startswith(".")]
    assert ("COPY", "--from=build /dist /tmp/mab-dist") in instructions
    words = [word for word, _ in instructions]
    base = dict(instructions)["FROM"]
    assert base.startswith("python:3.11-slim") or base.startswith("debian:bookworm-slim")
    assert dict(instructions)["WORKDIR"] == "/app"
    users = [rest for word, rest in instructions if word == "USER"]
    assert users and users[-1] not in {"root", "0"}
    steps = [rest for word, rest in instructions if word == "RUN"]
    assert any("docker-build-steps.sh install runtime check" in rest for rest in steps)
    assert words.index("USER") > max(i for i, w in enumerate(words) if w == "RUN")
    assert dict(instructions)["EXPOSE"] == "8000"
    assert "/healthz" in dict(instructions)["HEALTHCHECK"]
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "instance", "deploy/.env"} <= set(ignored)


def unit(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str   # systemd's keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


SERVICES = sorted((DEPLOY / "systemd").glob("*.service"))
TIMERS = sorted((DEPLOY / "systemd").glob("*.timer"))


def test_the_systemd_kit_is_complete():
    assert {p.name for p in SERVICES} == {"mab-web.service", "mab-worker.service",
                                          "mab-worker@.service"}
    assert {p.name for p in TIMERS} == {"mab-worker-outbox.timer", "mab-worker-reminders.timer",
                                        "mab-worker-digests.timer"}


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_systemd_services(path):
    service = unit(path)["Service"]
    assert service["ExecStart"].startswith("/srv/mab/venv/bin/")
    assert service["User"] == "mab" and service["Restart"] in {"always", "on-failure"}
    assert service["EnvironmentFile"] == "/etc/mab/env"
    assert service["WorkingDirectory"] == "/var/lib/mab"   # no source tree: the state folder
    if path.name == "mab-web.service":
        assert "gunicorn" in service["ExecStart"]
        assert service["ExecStart"].endswith(" mab.wsgi:app")
        assert service["ExecStartPre"] == "/srv/mab/venv/bin/mab db upgrade"
    else:
        assert service["ExecStart"].startswith("/srv/mab/venv/bin/mab worker ")
    if path.name == "mab-worker@.service":
        assert service["Type"] == "oneshot" and "--once --job %i" in service["ExecStart"]


@pytest.mark.parametrize("path", TIMERS, ids=lambda p: p.name)
def test_systemd_timers_start_a_job_of_the_template(path):
    timer = unit(path)["Timer"]
    job = path.name.removeprefix("mab-worker-").removesuffix(".timer")
    assert timer["Unit"] == f"mab-worker@{job}.service"
    assert "OnCalendar" in timer or "OnUnitActiveSec" in timer
    assert unit(path)["Install"]["WantedBy"] == "timers.target"


def _fresh_venv(folder: Path) -> Path:
    """A venv without pip whose dependencies are this venv's (not its editable MAB)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _steps(*steps, env):
    return subprocess.run(["sh", str(DEPLOY / "docker-build-steps.sh"), *steps], env=env,
                          capture_output=True, text=True, timeout=180)


def test_the_build_steps_without_docker(tmp_path):
    """wheel, install, runtime and check, as the Dockerfile runs them, from a copy of the source
    (no compiled catalogue in it) into a fresh venv; the app runs from an empty folder."""
    src, app_dir, venv = tmp_path / "src", tmp_path / "app", tmp_path / "venv"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for item in ("mab", "deploy"):
        shutil.copytree(ROOT / item, src / item, ignore=skip)
    for item in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / item, src / item)
    python = _fresh_venv(venv)
    env = {**os.environ, "SRC": str(src), "DIST": str(tmp_path / "dist"),
           "APP_DIR": str(app_dir), "PYTHON": str(python),
           "PIP": f"{sys.executable} -m pip --python {python}",
           "INSTALL_ARGS": "--no-deps --no-index", "TMPDIR": str(tmp_path)}
    for name in ("DATABASE_URL", "MAB_INSTANCE_PATH", "FLASK_APP"):
        env.pop(name, None)
    result = _steps("wheel", "install", "runtime", "check", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    package = next((venv / "lib").glob("python3*/site-packages/mab"))
    assert f"app ok: mab from {package.resolve()}" in result.stdout
    for language in ("ru", "kk"):
        assert (package / "translations" / language / "LC_MESSAGES" / "messages.mo").is_file()
    assert (venv / "bin" / "mab").is_file()
    assert list(app_dir.iterdir()) == []
    assert not list((src / "mab").rglob("*.mo")), "the wheel step wrote into the source tree"


def test_the_build_refuses_an_app_folder_with_a_copy_of_the_source(tmp_path):
    """gunicorn and flask import from the working folder first: a stale copy there would be served
    instead of the installed package."""
    (tmp_path / "mab").mkdir()
    (tmp_path / "mab" / "__init__.py").write_text("raise ImportError('half a release')\n")
    env = {**os.environ, "SRC": str(ROOT), "APP_DIR": str(tmp_path), "PYTHON": sys.executable}
    runtime = _steps("runtime", env=env)
    assert runtime.returncode != 0
    assert f"{tmp_path}/mab is a copy of the source: remove it" in runtime.stderr
    check = _steps("check", env=env)
    assert check.returncode != 0
    assert "mab.wsgi does not import here: half a release" in check.stdout + check.stderr


def test_the_build_check_refuses_a_package_imported_from_the_source_tree(tmp_path):
    """This venv's MAB is the checkout's (editable): not an installed package."""
    env = {**os.environ, "SRC": str(ROOT), "APP_DIR": str(tmp_path), "PYTHON": sys.executable}
    env.pop("DATABASE_URL", None)
    check = _steps("check", env=env)
    assert check.returncode != 0
    assert f"mab is imported from {ROOT / 'mab'}, inside SRC" in check.stdout + check.stderr
