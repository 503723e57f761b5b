"""Where factbot finds its fact store and keeps its data, wherever it is installed.

Three ways to run, three answers:

* **A checkout** (`make run`, an editable install): the top-level `facts/` and
  `seeds/` that curators edit, and `data/` beside them.
* **An installed wheel** (pip, the container, the systemd unit): the store the
  wheel carries as package data (`bot/_store/`, copied there by setup.py),
  found with `importlib.resources`; the data in the platform's state directory
  (`platformdirs`), or in `$STATE_DIRECTORY` when systemd provides one.
  Never inside the package: site-packages is read-only under
  `ProtectSystem=strict` and replaced by the next upgrade.
* **A curated store elsewhere**: `FACTBOT_FACTS_DIR` / `FACTBOT_SEEDS_DIR` and
  `FACTBOT_DATA_DIR` win over both (see `bot.config`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "factbot"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # bot/ (this file is bot/infra/locations.py)
CHECKOUT_ROOT = PACKAGE_ROOT.parent


class StoreNotFoundError(FileNotFoundError):
    """Neither a checkout's store nor a packaged one exists: a broken install."""


def running_from_checkout() -> bool:
    """True when `bot/` sits in the repository (beside pyproject.toml and facts/), not in site-packages."""
    return (CHECKOUT_ROOT / "pyproject.toml").is_file() and (CHECKOUT_ROOT / "facts").is_dir()


def packaged_store() -> Path:
    """The store inside the installed package, as a real directory on disk."""
    root = resources.files("bot").joinpath("_store")
    # A wheel is installed unpacked, so this is a plain Path; the loader needs one
    # (it reports problems as file:line). A zipped install would not qualify.
    if not isinstance(root, Path) or not (root / "facts").is_dir():
        raise StoreNotFoundError(
            f"no fact store packaged with factbot at {root}; reinstall factbot from its wheel, "
            "or set FACTBOT_FACTS_DIR and FACTBOT_SEEDS_DIR"
        )
    return root


def default_store_dirs() -> tuple[Path, Path]:
    """(facts_dir, seeds_dir) when no setting names them."""
    root = CHECKOUT_ROOT if running_from_checkout() else packaged_store()
    return root / "facts", root / "seeds"


def default_data_dir(state_directory: str | None) -> Path:
    """Where the database, its key and spool live when FACTBOT_DATA_DIR is not set.

    `state_directory` is systemd's `$STATE_DIRECTORY` (set by `StateDirectory=`),
    a colon-separated list when several are configured: the first is ours.
    """
    if state_directory:
        return Path(state_directory.split(":")[0])
    if running_from_checkout():
        return CHECKOUT_ROOT / "data"
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
