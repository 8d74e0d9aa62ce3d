"""The deployment kit under deploy/: compose, Dockerfile, systemd units and the build steps.

Docker may be absent here: the files' structure is checked, and the build's commands that need
no Docker (deploy/docker-build-steps.sh catalogues, runtime, check: compile the catalogues, lay
out the app folder, import the app as production does) run on a copy of the source (~5 s).
The steps `deps` and `install` (pip from the network) run in the image build only.
"""
import configparser
import json
import os
import shutil
import subprocess
import sys
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
    assert services["migrate"]["command"][-2:] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["postgres"] == {"condition": "service_healthy"}
    assert set(compose["volumes"]) >= {"pgdata", "uploads"}


def test_compose_commands_and_settings(compose):
    services = compose["services"]
    web, worker = services["web"]["command"], services["worker"]["command"]
    assert web[0] == "gunicorn" and web[-1] == "wsgi:app" and "0.0.0.0:8000" in web
    assert worker[:5] == ["flask", "--app", "wsgi", "mab", "worker"] and "--interval" in worker
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
    words = [word for word, _ in instructions]
    base = dict(instructions)["FROM"]
    assert base.startswith("python:3.11-slim") or base.startswith("debian:bookworm-slim")
    users = [rest for word, rest in instructions if word == "USER"]
    assert users and users[-1] not in {"root", "0"}
    steps = [rest for word, rest in instructions if word == "RUN"]
    assert any("deploy/docker-build-steps.sh" in rest for rest in steps)
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
    assert service["WorkingDirectory"] == "/srv/mab/app"
    if path.name == "mab-web.service":
        assert "gunicorn" in service["ExecStart"] and service["ExecStart"].endswith("wsgi:app")
        assert service["ExecStartPre"].endswith("db upgrade")
    else:
        assert " mab worker " in service["ExecStart"] + " "
    if path.name == "mab-worker@.service":
        assert service["Type"] == "oneshot" and "--once --job %i" in service["ExecStart"]


@pytest.mark.parametrize("path", TIMERS, ids=lambda p: p.name)
def test_systemd_timers_start_a_job_of_the_template(path):
    timer = unit(path)["Timer"]
    job = path.name.removeprefix("mab-worker-").removesuffix(".timer")
    assert timer["Unit"] == f"mab-worker@{job}.service"
    assert "OnCalendar" in timer or "OnUnitActiveSec" in timer
    assert unit(path)["Install"]["WantedBy"] == "timers.target"


def test_the_build_steps_that_need_no_docker(tmp_path):
    """catalogues, runtime and check, as the Dockerfile runs them, on a copy of the source."""
    src, app_dir = tmp_path / "src", tmp_path / "app"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for item in ("mab", "deploy"):
        shutil.copytree(ROOT / item, src / item, ignore=skip)
    for item in ("wsgi.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / item, src / item)
    env = {**os.environ, "SRC": str(src), "APP_DIR": str(app_dir), "PYTHON": sys.executable,
           "RUNTIME_MODE": "copy", "TMPDIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(["sh", str(src / "deploy" / "docker-build-steps.sh"),
                             "catalogues", "runtime", "check"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"app ok: mab from {app_dir / 'mab'}" in result.stdout
    for language in ("ru", "kk"):
        assert (app_dir / "mab" / "translations" / language / "LC_MESSAGES"
                / "messages.mo").stat().st_size > 1000
    assert (app_dir / "wsgi.py").is_file() and (app_dir / "mab" / "migrations" / "env.py").is_file()


def test_the_build_check_refuses_an_app_that_does_not_import(tmp_path):
    (tmp_path / "wsgi.py").write_text("raise ImportError('half a release')\n")
    env = {**os.environ, "SRC": str(ROOT), "APP_DIR": str(tmp_path), "PYTHON": sys.executable}
    result = subprocess.run(["sh", str(DEPLOY / "docker-build-steps.sh"), "check"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "wsgi does not import here: half a release" in result.stdout + result.stderr
