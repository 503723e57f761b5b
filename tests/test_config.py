"""Settings: where the store and the data are found, and an optional, possibly unreadable .env."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.infra import locations
from bot.service import FactService
from bot.store import StorePaths
from tests.helpers import FACTS_DIR, ROOT, SEEDS_DIR, copy_store


def test_from_a_checkout_the_top_level_store_and_data_dir_are_used(tmp_path: Path) -> None:
    settings = Settings.from_env({}, env_file=tmp_path / "none.env")
    assert settings.facts_dir == FACTS_DIR and settings.seeds_dir == SEEDS_DIR
    assert settings.data_dir == ROOT / "data"
    assert settings.db_path == ROOT / "data" / "factbot.sqlite3"


def test_state_directory_from_systemd_is_the_data_dir_unless_factbot_data_dir_says_otherwise(tmp_path: Path) -> None:
    env = {"STATE_DIRECTORY": f"{tmp_path}/factbot:{tmp_path}/other"}
    settings = Settings.from_env(env, env_file=tmp_path / "none.env")
    assert settings.data_dir == tmp_path / "factbot"
    assert settings.db_path == tmp_path / "factbot" / "factbot.sqlite3"
    explicit = Settings.from_env({**env, "FACTBOT_DATA_DIR": str(tmp_path / "d")}, env_file=tmp_path / "none.env")
    assert explicit.data_dir == tmp_path / "d"


def test_installed_without_a_checkout_the_packaged_store_and_platform_state_dir_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # what an installed wheel looks like: bot/ in site-packages, the store in bot/_store
    package = tmp_path / "site-packages" / "bot"
    shutil.copytree(FACTS_DIR, package / "_store" / "facts")
    shutil.copytree(SEEDS_DIR, package / "_store" / "seeds")
    monkeypatch.setattr(locations, "CHECKOUT_ROOT", package.parent)
    monkeypatch.setattr(locations.resources, "files", lambda name: package)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    settings = Settings.from_env({}, env_file=tmp_path / "none.env")
    assert settings.facts_dir == package / "_store" / "facts"
    assert settings.seeds_dir == package / "_store" / "seeds"
    assert settings.data_dir == tmp_path / "state" / "factbot"
    assert not settings.data_dir.is_relative_to(package.parent)


def test_an_install_without_its_store_is_a_configuration_error_that_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locations, "CHECKOUT_ROOT", tmp_path)
    monkeypatch.setattr(locations.resources, "files", lambda name: tmp_path / "bot")
    with pytest.raises(ConfigError, match="FACTBOT_FACTS_DIR"):
        Settings.from_env({}, env_file=tmp_path / "none.env")
    # a curated store elsewhere needs no packaged one
    settings = Settings.from_env({"FACTBOT_FACTS_DIR": str(tmp_path / "f")}, env_file=tmp_path / "none.env")
    assert settings.seeds_dir == tmp_path / "seeds"


def test_a_store_elsewhere_is_used_and_reloads_there(tmp_path: Path) -> None:
    paths = copy_store(tmp_path / "curated")
    env = {"FACTBOT_FACTS_DIR": str(paths.facts_dir), "FACTBOT_SEEDS_DIR": str(paths.seeds_dir)}
    settings = Settings.from_env(env, env_file=tmp_path / "none.env")
    service = FactService.load(StorePaths(settings.facts_dir, settings.seeds_dir))
    victim = next(iter(service.store.by_id))
    for path in paths.facts_dir.glob("0*.yaml"):
        text = path.read_text(encoding="utf-8")
        if f"id: {victim}\n" in text:
            path.write_text(text.replace(f"id: {victim}\n", f"id: {victim}.renamed\n"), encoding="utf-8")
    result = service.reload()
    assert result.ok and result.diff is not None
    assert result.diff.added == (f"{victim}.renamed",) and result.diff.removed == (victim,)


def test_settings_come_from_dotenv_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("FACTBOT_PREFIX=?\nFACTBOT_METRICS_PORT=9108\n", encoding="utf-8")
    settings = Settings.from_env({"FACTBOT_PREFIX": "%"}, env_file=env_file)
    assert settings.prefix == "%" and settings.metrics_port == 9108 and settings.metrics_bind == "127.0.0.1"
    with pytest.raises(ConfigError, match="FACTBOT_METRICS_PORT"):
        Settings.from_env({"FACTBOT_METRICS_PORT": "99999"}, env_file=tmp_path / "none.env")


def test_an_unreadable_dotenv_is_one_warning_and_the_environment_still_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("FACTBOT_PREFIX=?\n", encoding="utf-8")
    env_file.chmod(0o000)
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        # root reads any file whatever its mode; refuse as the kernel would for another user
        if self == env_file:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    caplog.set_level(logging.WARNING)
    settings = Settings.from_env({"FACTBOT_ADMIN_IDS": "42"}, env_file=env_file)
    assert settings.prefix == "!" and settings.admin_ids == frozenset({42})
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(env_file) in warnings[0] and "Permission denied" in warnings[0]


def test_shard_settings_read_ranges_and_lists() -> None:
    base = {"FACTBOT_DATA_DIR": "/tmp/x"}
    assert Settings.from_env({**base}, env_file=Path("/nonexistent")).shard_count is None
    s = Settings.from_env(
        {**base, "FACTBOT_SHARD_COUNT": "8", "FACTBOT_SHARD_IDS": "0-1,4"}, env_file=Path("/nonexistent")
    )
    assert (s.shard_count, s.shard_ids) == (8, (0, 1, 4))
    s = Settings.from_env({**base, "FACTBOT_SHARD_COUNT": "2"}, env_file=Path("/nonexistent"))
    assert s.shard_ids == (0, 1)


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        ("2", "0-2", "beyond FACTBOT_SHARD_COUNT=2"),
        ("4", "a-b", "range like 0-3"),
        (None, "0-1", "needs FACTBOT_SHARD_COUNT"),
        ("4", "1,1", "one twice"),
    ],
)
def test_bad_shard_settings_say_what_is_wrong(count: str | None, ids: str, message: str) -> None:
    env = {"FACTBOT_DATA_DIR": "/tmp/x", "FACTBOT_SHARD_IDS": ids}
    if count is not None:
        env["FACTBOT_SHARD_COUNT"] = count
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env, env_file=Path("/nonexistent"))


def test_a_database_url_must_be_postgresql_and_is_never_in_the_repr() -> None:
    s = Settings.from_env(
        {"FACTBOT_DATA_DIR": "/tmp/x", "FACTBOT_DATABASE_URL": "postgresql://u:secret@h/db"},
        env_file=Path("/nonexistent"),
    )
    assert s.database_url == "postgresql://u:secret@h/db" and "secret" not in repr(s)
    with pytest.raises(ConfigError, match="postgresql://"):
        Settings.from_env(
            {"FACTBOT_DATA_DIR": "/tmp/x", "FACTBOT_DATABASE_URL": "mysql://x"}, env_file=Path("/nonexistent")
        )


@pytest.mark.parametrize("raw", ["0", "-5", "soon", "nan", "inf"])
def test_the_heartbeat_interval_is_seconds_above_zero(raw: str) -> None:
    env, nowhere = {"FACTBOT_DATA_DIR": "/tmp/x"}, Path("/nonexistent")
    assert Settings.from_env(env, env_file=nowhere).heartbeat_seconds == 30.0
    assert Settings.from_env({**env, "FACTBOT_HEARTBEAT_SECONDS": "0.5"}, env_file=nowhere).heartbeat_seconds == 0.5
    with pytest.raises(ConfigError, match="FACTBOT_HEARTBEAT_SECONDS must be a number of seconds above 0"):
        Settings.from_env({**env, "FACTBOT_HEARTBEAT_SECONDS": raw}, env_file=nowhere)
