"""The one build step pyproject.toml cannot declare: ship the fact store inside the wheel.

The repository keeps `facts/` and `seeds/` at the top level, where curators edit
them. A wheel has no top level, so the build copies both into the package as
`bot/_store/facts` and `bot/_store/seeds`, where `bot.config` finds them with
`importlib.resources` when factbot is not run from a checkout. An editable
install (`make install`) copies nothing: it reads the top-level directories.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
STORE_DIRS = ("facts", "seeds")
PACKAGED_STORE = Path("bot") / "_store"


class BuildWithStore(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / PACKAGED_STORE
        for name in STORE_DIRS:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; build from a checkout or its sdist")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))


setup(cmdclass={"build_py": BuildWithStore})
