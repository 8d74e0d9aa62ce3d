"""The ``mab`` console script (pyproject.toml): Flask's command line for this app, with MAB's own
commands (mab/cli.py) at the top level: ``mab db upgrade``, ``mab seed-demo``, ``mab worker``,
``mab send-outbox``, ``mab run``, ``mab routes``... ``flask --app mab.wsgi mab <command>`` keeps
working. A module of its own: it imports ``create_app``, which imports mab/cli.py.
"""
import click
from flask.cli import FlaskGroup

from mab import create_app
from mab.cli import cli

DISTRIBUTION = "mab-advisory-board"   # the name on the package index (pyproject.toml)


class _MabCommand(FlaskGroup):
    """Lists MAB's commands once: at the top level, not again under ``mab``."""

    def list_commands(self, ctx):
        return [name for name in super().list_commands(ctx) if name != cli.name]


def _create_app():
    return create_app()


def main(argv=None):
    return command().main(args=argv, prog_name="mab")


def command() -> FlaskGroup:
    group = _MabCommand(name="mab", create_app=_create_app, add_version_option=False,
                        help="MAB: Flask's commands (db, run, shell, routes) and MAB's own, for "
                             "the installed app. The settings come from the environment "
                             "(README, Configuration).")
    # The app is always MAB's: Flask's --app option would be ignored, so it is not offered.
    group.params = [param for param in group.params if param.name != "app"]
    click.version_option(package_name=DISTRIBUTION, prog_name="mab")(group)
    for name, app_command in cli.commands.items():
        group.add_command(app_command, name)
    return group
