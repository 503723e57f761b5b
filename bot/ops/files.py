"""Private files: everything factbot creates is readable by its own user only.

The database holds what users typed and the key turns their ids into hashes;
neither is for other accounts on the machine. SQLite creates its `-wal` and
`-shm` files with the mode of the database, and the query log opens its spool
and key with 0600 already, so one process-wide umask set before anything is
created covers the database, WAL, spool, key, backups and exports alike.
`UMask=0077` in the systemd unit and the container do the same from outside.
"""

from __future__ import annotations

import os

PRIVATE_UMASK = 0o077


def make_files_private() -> int:
    """Set the umask so new files are 0600 and new directories 0700; returns the old one."""
    return os.umask(PRIVATE_UMASK)
