"""Settings from the environment and an optional `.env` file.

Every setting, its default and its meaning is listed in the README. The token
is held here and nowhere else; `Settings.__repr__` never shows it.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.infra.locations import CHECKOUT_ROOT, StoreNotFoundError, default_data_dir, default_store_dirs

# Kept for callers that still import it: the repository root when run from a checkout.
PROJECT_ROOT = CHECKOUT_ROOT
DB_FILE = "factbot.sqlite3"
DEFAULT_METRICS_BIND = "127.0.0.1"
# How often each process writes its shards' heartbeats (bot/querylog/heartbeat.py); a
# shard is stale after three. Thirty seconds is a few rows a minute per shard.
DEFAULT_HEARTBEAT_SECONDS = 30.0

log = logging.getLogger(__name__)


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


def _port(raw: str, name: str) -> int:
    port = _int(raw, name)
    if not 0 <= port <= 65535:
        raise ConfigError(f"{name} must be a TCP port between 0 and 65535, not {port}")
    return port


def _seconds(raw: str, name: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"{name} must be a number of seconds above 0, not {raw!r}")
    return value


def _database_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not raw.startswith(("postgresql://", "postgres://")):
        raise ConfigError("FACTBOT_DATABASE_URL must be a postgresql:// URL (unset it to use SQLite)")
    return raw


def _shard_ids(raw: str) -> tuple[int, ...]:
    """`0-3`, `0,2,4` or `0-1,4`: the shards this process runs."""
    ids: list[int] = []
    for part in raw.replace(" ", "").split(","):
        first, sep, last = part.partition("-")
        if not first.isdigit() or (sep and not last.isdigit()):
            raise ConfigError(f"FACTBOT_SHARD_IDS must be a range like 0-3 or a list like 0,2,4, not {raw!r}")
        ids.extend(range(int(first), int(last) + 1) if sep else [int(first)])
    if not ids or len(set(ids)) != len(ids):
        raise ConfigError(f"FACTBOT_SHARD_IDS names no shard or one twice: {raw!r}")
    return tuple(sorted(ids))


def _shards(count_raw: str | None, ids_raw: str | None) -> dict[str, Any]:
    if count_raw is None:
        if ids_raw is not None:
            raise ConfigError("FACTBOT_SHARD_IDS needs FACTBOT_SHARD_COUNT (the total over every process)")
        return {"shard_count": None, "shard_ids": None}
    count = _int(count_raw, "FACTBOT_SHARD_COUNT")
    if count < 1:
        raise ConfigError("FACTBOT_SHARD_COUNT must be at least 1")
    ids = _shard_ids(ids_raw) if ids_raw is not None else tuple(range(count))
    if ids[-1] >= count:
        raise ConfigError(f"FACTBOT_SHARD_IDS has shard {ids[-1]}, beyond FACTBOT_SHARD_COUNT={count} (ids start at 0)")
    return {"shard_count": count, "shard_ids": ids}


def _default_facts_dir() -> Path:
    return default_store_dirs()[0]


def _default_seeds_dir() -> Path:
    return default_store_dirs()[1]


def _default_data_dir() -> Path:
    return default_data_dir(os.environ.get("STATE_DIRECTORY"))


def _default_db_path() -> Path:
    return _default_data_dir() / DB_FILE


def read_env_file(path: Path) -> dict[str, str]:
    """The settings in `path`; empty (with one warning) when it exists but cannot be read.

    `.env` is a convenience for a checkout. Under systemd the settings come from
    `EnvironmentFile=`, which systemd reads as root; a root-owned `.env` in the
    working directory must not stop a bot that runs as another user.
    """
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8") as stream:
            values = dotenv_values(stream=stream)
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read %s (%s); going on with the environment only", path, exc)
        return {}
    return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    prefix: str = "!"
    admin_ids: frozenset[int] = frozenset()
    facts_dir: Path = field(default_factory=_default_facts_dir)
    seeds_dir: Path = field(default_factory=_default_seeds_dir)
    data_dir: Path = field(default_factory=_default_data_dir)
    db_path: Path = field(default_factory=_default_db_path)
    dev_guild: int | None = None
    api_base: str | None = None
    gateway_url: str | None = None
    log_raw_user_ids: bool = False
    log_retention_days: int = 90
    log_level: str = "INFO"
    metrics_port: int | None = None
    metrics_bind: str = DEFAULT_METRICS_BIND
    # per-user query budget (rate queries per `cooldown_per` seconds); rate 0 turns it off
    cooldown_rate: int = 5
    cooldown_per: float = 10.0
    # FACTBOT_DATABASE_URL: the query log on PostgreSQL (postgresql://...); None is SQLite at
    # db_path. repr=False: the URL may carry a password.
    database_url: str | None = field(default=None, repr=False)
    # FACTBOT_SHARD_COUNT / FACTBOT_SHARD_IDS: None is one process, Discord's recommended count
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # FACTBOT_HEARTBEAT_SECONDS: how often this process writes its shards for `!stats`
    heartbeat_seconds: float = DEFAULT_HEARTBEAT_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        """Read settings: the process environment wins over `.env`."""
        values = read_env_file(env_file if env_file is not None else Path.cwd() / ".env")
        values.update(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = values.get(name, "").strip()
            return value or None

        facts_setting = get("FACTBOT_FACTS_DIR")
        seeds_setting = get("FACTBOT_SEEDS_DIR")
        if facts_setting:
            facts_dir = Path(facts_setting)
            # a curated store elsewhere keeps its documents beside its facts unless told otherwise
            seeds_dir = Path(seeds_setting) if seeds_setting else facts_dir.parent / "seeds"
        else:
            try:
                facts_dir, default_seeds = default_store_dirs()
            except StoreNotFoundError as exc:
                raise ConfigError(str(exc)) from exc
            seeds_dir = Path(seeds_setting) if seeds_setting else default_seeds
        data_setting = get("FACTBOT_DATA_DIR")
        data_dir = Path(data_setting) if data_setting else default_data_dir(get("STATE_DIRECTORY"))
        dev_guild = get("FACTBOT_DEV_GUILD")
        metrics_port = get("FACTBOT_METRICS_PORT")
        cooldown_rate, cooldown_per = _cooldown(get("FACTBOT_COOLDOWN") or "5/10")
        return cls(
            token=get("DISCORD_TOKEN"),
            prefix=get("FACTBOT_PREFIX") or "!",
            admin_ids=_ids(get("FACTBOT_ADMIN_IDS") or "", "FACTBOT_ADMIN_IDS"),
            facts_dir=facts_dir,
            seeds_dir=seeds_dir,
            data_dir=data_dir,
            db_path=Path(get("FACTBOT_DB") or data_dir / DB_FILE),
            dev_guild=_int(dev_guild, "FACTBOT_DEV_GUILD") if dev_guild else None,
            api_base=get("FACTBOT_DISCORD_API_BASE"),
            gateway_url=get("FACTBOT_DISCORD_GATEWAY_URL"),
            log_raw_user_ids=(get("FACTBOT_LOG_RAW_USER_IDS") or "0") in {"1", "true", "yes"},
            log_retention_days=_int(get("FACTBOT_LOG_RETENTION_DAYS") or "90", "FACTBOT_LOG_RETENTION_DAYS"),
            log_level=(get("FACTBOT_LOG_LEVEL") or "INFO").upper(),
            metrics_port=_port(metrics_port, "FACTBOT_METRICS_PORT") if metrics_port else None,
            metrics_bind=get("FACTBOT_METRICS_BIND") or DEFAULT_METRICS_BIND,
            cooldown_rate=cooldown_rate,
            cooldown_per=cooldown_per,
            database_url=_database_url(get("FACTBOT_DATABASE_URL")),
            **_shards(get("FACTBOT_SHARD_COUNT"), get("FACTBOT_SHARD_IDS")),
            heartbeat_seconds=_seconds(
                get("FACTBOT_HEARTBEAT_SECONDS") or str(DEFAULT_HEARTBEAT_SECONDS), "FACTBOT_HEARTBEAT_SECONDS"
            ),
        )
