"""Settings from the environment and an optional `.env` file.

Every setting, its default and its meaning is listed in the README. The token
is held here and nowhere else; `Settings.__repr__` never shows it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A setting with a value that cannot be used."""


def _ids(raw: str, name: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(",", " ").split())
    except ValueError as exc:
        raise ConfigError(f"{name} must be Discord user ids separated by commas: {exc}") from exc


def _cooldown(raw: str) -> tuple[int, float]:
    """FACTBOT_COOLDOWN: "5/10" (5 queries per 10 s), or "off"."""
    if raw.lower() in ("off", "0", "none"):
        return 0, 0.0
    try:
        rate, per = raw.split("/")
        return int(rate), float(per)
    except ValueError as exc:
        raise ConfigError(f"FACTBOT_COOLDOWN must be QUERIES/SECONDS such as 5/10, or off; not {raw!r}") from exc


def _int(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    prefix: str = "!"
    admin_ids: frozenset[int] = frozenset()
    facts_dir: Path = PROJECT_ROOT / "facts"
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    data_dir: Path = PROJECT_ROOT / "data"
    db_path: Path = PROJECT_ROOT / "data" / "factbot.sqlite3"
    dev_guild: int | None = None
    api_base: str | None = None
    gateway_url: str | None = None
    log_raw_user_ids: bool = False
    log_retention_days: int = 90
    log_level: str = "INFO"
    # per-user query budget (rate queries per `cooldown_per` seconds); rate 0 turns it off
    cooldown_rate: int = 5
    cooldown_per: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        """Read settings: the process environment wins over `.env`."""
        values: dict[str, str] = {}
        dotenv = env_file if env_file is not None else Path.cwd() / ".env"
        if dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = values.get(name, "").strip()
            return value or None

        facts_dir = Path(get("FACTBOT_FACTS_DIR") or PROJECT_ROOT / "facts")
        data_dir = Path(get("FACTBOT_DATA_DIR") or PROJECT_ROOT / "data")
        dev_guild = get("FACTBOT_DEV_GUILD")
        cooldown_rate, cooldown_per = _cooldown(get("FACTBOT_COOLDOWN") or "5/10")
        return cls(
            token=get("DISCORD_TOKEN"),
            prefix=get("FACTBOT_PREFIX") or "!",
            admin_ids=_ids(get("FACTBOT_ADMIN_IDS") or "", "FACTBOT_ADMIN_IDS"),
            facts_dir=facts_dir,
            seeds_dir=Path(get("FACTBOT_SEEDS_DIR") or facts_dir.parent / "seeds"),
            data_dir=data_dir,
            db_path=Path(get("FACTBOT_DB") or data_dir / "factbot.sqlite3"),
            dev_guild=_int(dev_guild, "FACTBOT_DEV_GUILD") if dev_guild else None,
            api_base=get("FACTBOT_DISCORD_API_BASE"),
            gateway_url=get("FACTBOT_DISCORD_GATEWAY_URL"),
            log_raw_user_ids=(get("FACTBOT_LOG_RAW_USER_IDS") or "0") in {"1", "true", "yes"},
            log_retention_days=_int(get("FACTBOT_LOG_RETENTION_DAYS") or "90", "FACTBOT_LOG_RETENTION_DAYS"),
            log_level=(get("FACTBOT_LOG_LEVEL") or "INFO").upper(),
            cooldown_rate=cooldown_rate,
            cooldown_per=cooldown_per,
        )
