"""Per-user cooldowns, shared by prefix commands, DMs and slash commands.

One budget per user (default 5 queries in 10 s, `FACTBOT_COOLDOWN`), kept in
discord.py's own `CooldownMapping` keyed by the user id, so a user cannot get twice
the budget by mixing `!trade` and `/trade`. Over the limit, a user gets one short
notice per cooldown window, then silence: a flood must not make the bot flood the
channel back. Admins are exempt. Autocomplete keystrokes are not queries and are
not counted.
"""

from __future__ import annotations

import time

from discord.ext import commands

NOTICE = "You're asking faster than I can answer. Try again in {seconds:.0f} s."
# Users remembered as already told; pruned of expired entries past this size.
NOTICED_KEPT = 10_000


class RateLimited(commands.CheckFailure):
    """A user over the cooldown; `notify` is True for the first refusal of the window."""

    def __init__(self, retry_after: float, *, notify: bool) -> None:
        super().__init__(NOTICE.format(seconds=max(1.0, retry_after)))
        self.retry_after = retry_after
        self.notify = notify


def _by_user_id(key: int) -> int:
    return key


class UserCooldown:
    def __init__(self, rate: int, per: float) -> None:
        self.enabled = rate > 0 and per > 0
        self._mapping: commands.CooldownMapping[int] = commands.CooldownMapping(
            commands.Cooldown(max(rate, 1), max(per, 0.001)), _by_user_id
        )
        self._noticed: dict[int, float] = {}  # user id -> until when they were told
        self.refused = 0  # queries refused, for metrics

    def hit(self, user_id: int) -> RateLimited | None:
        """Count one query of `user_id`; the refusal if over the limit, else None."""
        if not self.enabled:
            return None
        bucket = self._mapping.get_bucket(user_id)
        retry_after = bucket.update_rate_limit() if bucket is not None else None
        if retry_after is None:
            return None
        self.refused += 1
        now = time.monotonic()
        notify = self._noticed.get(user_id, 0.0) <= now
        if notify:
            if len(self._noticed) >= NOTICED_KEPT:
                self._noticed = {u: t for u, t in self._noticed.items() if t > now}
            self._noticed[user_id] = now + retry_after
        return RateLimited(retry_after, notify=notify)
