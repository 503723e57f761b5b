"""Slash-command sync: on demand, or at start-up only when the command tree changed.

Syncing on every start burns a rate limit Discord keeps tight (a couple of
hundred command writes a day), so the bot remembers a hash of what it last
synced in `data_dir/command_tree.sha256` and syncs by itself only when the
hash differs. The hash covers the commands as Discord receives them and the
target (global, or the development guild), so switching FACTBOT_DEV_GUILD
also triggers a sync. `/sync`, `!sync` and `factbot sync` always sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)

HASH_FILE = "command_tree.sha256"
MENU_MARK = "menu:"  # in `SyncResult.names`: a context-menu command, not a slash command


@dataclass(frozen=True)
class SyncResult:
    names: tuple[str, ...]
    guild_id: int | None

    @property
    def target(self) -> str:
        return f"guild {self.guild_id}" if self.guild_id else "every server and DM (global)"

    def summary(self) -> str:
        slash = [n for n in self.names if not n.startswith(MENU_MARK)]
        menus = [n[len(MENU_MARK) :] for n in self.names if n.startswith(MENU_MARK)]
        listed = ", ".join(f"/{n}" for n in slash) or "none"
        if menus:
            listed += "; message menu: " + ", ".join(f"“{n}”" for n in menus)
        note = "" if self.guild_id else " Global commands can take a few minutes to appear."
        return f"Synced {len(slash)} slash commands to {self.target}: {listed}.{note}"


def tree_hash(tree: app_commands.CommandTree[Any], guild_id: int | None) -> str:
    """sha256 of the global commands as Discord would receive them, and of the target."""
    payload = sorted(
        (command.to_dict(tree) for command in tree.get_commands()),
        key=lambda c: (str(c.get("name")), int(c.get("type") or 1)),
    )
    # the translations go out with the commands: new ones must trigger a sync too
    translations = getattr(tree.translator, "fingerprint", None)
    blob = json.dumps(
        {"target": guild_id or "global", "commands": payload, "translations": translations},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def hash_path(data_dir: Path) -> Path:
    return data_dir / HASH_FILE


def read_hash(data_dir: Path) -> str | None:
    try:
        return hash_path(data_dir).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def write_hash(data_dir: Path, digest: str) -> None:
    """Written beside and renamed: a crash leaves the old hash or the new one."""
    path = hash_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(digest + "\n", encoding="utf-8")
    os.replace(tmp, path)


async def sync_commands(tree: app_commands.CommandTree[Any], data_dir: Path, guild_id: int | None) -> SyncResult:
    """Sync now: to one guild (global commands copied there, instant) or globally."""
    digest = tree_hash(tree, guild_id)
    if guild_id:
        guild = discord.Object(id=guild_id)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
    else:
        synced = await tree.sync()
    try:
        write_hash(data_dir, digest)
    except OSError as exc:  # the sync itself worked; the next start will simply sync again
        log.warning("could not write %s: %s", hash_path(data_dir), exc)
    names = (c.name if c.type is discord.AppCommandType.chat_input else MENU_MARK + c.name for c in synced)
    return SyncResult(tuple(sorted(names)), guild_id)


async def sync_if_changed(
    tree: app_commands.CommandTree[Any], data_dir: Path, guild_id: int | None
) -> SyncResult | None:
    """Sync only when the tree differs from the last one synced; None when it did not."""
    if read_hash(data_dir) == tree_hash(tree, guild_id):
        log.info("slash commands unchanged since the last sync; not syncing")
        return None
    result = await sync_commands(tree, data_dir, guild_id)
    log.info("%s", result.summary())
    return result
