"""Build step that pyproject.toml cannot express: compile the Russian and Kazakh catalogues.

The compiled catalogues (``*.mo``) are not in git (they are build output), so a wheel built from
a clean checkout or from the sdist would be in English only. ``build_py`` therefore compiles
every ``mab/translations/<lang>/LC_MESSAGES/messages.po`` with Babel (a build requirement, see
``[build-system]``) straight into the build folder, as ``pybabel compile`` would (fuzzy entries
left out). The ``.mo`` files are never taken from the source tree, so a stale one lying there
cannot reach a wheel; the source tree itself is not written to. Everything else (name,
dependencies, package data, the ``mab`` command) is in pyproject.toml.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = Path("mab") / "translations"


class build_py_with_catalogues(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:   # editable installs use the checkout's (`make translations`)
            for source, target in self._catalogues():
                self._compile(source, Path(self.build_lib) / target)

    def get_outputs(self, include_bytecode=True):
        return [*super().get_outputs(include_bytecode),
                *(str(Path(self.build_lib) / target) for _, target in self._catalogues())]

    @staticmethod
    def _catalogues():
        for po in sorted(CATALOGUES.glob("*/LC_MESSAGES/*.po")):
            yield po, po.with_suffix(".mo")

    def _compile(self, source: Path, target: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with source.open("rb") as handle:
            catalog = read_po(handle, locale=source.parent.parent.name)
        for message, errors in catalog.check():
            for error in errors:
                self.warn(f"{source}: {message.id!r}: {error}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        self.announce(f"compiled {source} -> {target}", level=2)


setup(cmdclass={"build_py": build_py_with_catalogues})
