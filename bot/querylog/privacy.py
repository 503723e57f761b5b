"""The keyed hash that stands in for a Discord user id in the log.

Discord ids are public: a plain SHA-256 of one could be reversed by hashing every
id of a server. An HMAC with a secret key cannot, yet the same user still maps to
the same value, so "distinct users" and "this user keeps asking X" still work.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from bot.querylog.errors import UserKeyError

log = logging.getLogger(__name__)

KEY_BYTES = 32
# 16 hex characters = 64 bits: collisions stay negligible up to millions of
# users, and the stored value is short.
HASH_HEX_CHARS = 16


@dataclass(frozen=True)
class UserKey:
    secret: bytes = field(repr=False)

    def hash(self, user_id: int) -> str:
        digest = hmac.new(self.secret, str(user_id).encode("ascii"), hashlib.sha256)
        return digest.hexdigest()[:HASH_HEX_CHARS]

    def hash_or_none(self, user_id: int | None) -> str | None:
        return None if user_id is None else self.hash(user_id)


def key_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".userkey")


def load_or_create_key(path: Path) -> UserKey:
    """Read the key at `path`, creating it (mode 0600) on first start.

    Blocking file I/O: call it through `asyncio.to_thread` from async code.
    """
    try:
        # O_EXCL: if two processes start together, exactly one creates the key and
        # the other reads it; 0o600 is applied at creation, never a window of 0o644.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise UserKeyError(
            f"cannot create the user-id key {path}: {exc.strerror}; "
            "make its directory writable or set FACTBOT_DB to a writable place"
        ) from exc
    secret = secrets.token_bytes(KEY_BYTES)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secret.hex() + "\n")
            out.flush()
            # Losing the key after a power cut would silently start a new hash space.
            os.fsync(out.fileno())
    except OSError as exc:
        # An empty key file would make every later start fail; leave nothing behind.
        path.unlink(missing_ok=True)
        raise UserKeyError(f"cannot write the user-id key {path}: {exc.strerror}") from exc
    log.debug("query log: created the user-id key %s", path)  # a first start says nothing at INFO
    return UserKey(secret)


def _read_key(path: Path) -> UserKey:
    try:
        text = path.read_text(encoding="ascii").strip()
        mode = path.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise UserKeyError(f"cannot read the user-id key {path}: {exc}") from exc
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != KEY_BYTES:
        raise UserKeyError(
            f"{path} is not a factbot user-id key ({KEY_BYTES * 2} hex digits expected); "
            "restore it from backup, or delete it to start a new key (old hashes will "
            "no longer match new ones)"
        )
    if stat.S_IMODE(mode) & 0o077:
        log.warning("query log: %s is readable by other users; run chmod 600 on it", path)
    return UserKey(secret)
