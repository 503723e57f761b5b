"""Every row says whether its reply reached the user; a 503 is retried like a 502."""

from __future__ import annotations

import pytest

import bot.discord_app.retry
from tests.discord_app.harness import Harness, text_of

pytestmark = pytest.mark.timeout(30)

MESSAGES = r"^/channels/\d+/messages$"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.discord_app.retry, "RETRY_DELAYS", (0.01, 0.02, 0.03, 0.04))


async def _only_row(h: Harness) -> dict[str, object]:
    assert await h.querylog.flush(timeout=5)
    await h.fake.wait_until(lambda: all(r["delivered"] is not None for r in h.rows()) or None, 5, "delivery")
    (row,) = h.rows()
    return dict(row)


async def test_a_delivered_reply_is_marked_delivered(factbot: Harness) -> None:
    await factbot.ask("!trade xizang 2023")
    row = await _only_row(factbot)
    assert (row["status"], row["delivered"], row["error"]) == ("answered", 1, None)


@pytest.mark.parametrize(
    ("status", "code", "count"),
    [(400, 50035, 1), (403, 50013, 1), (429, 0, 1), (503, 0, 5)],
    ids=["400", "403", "429-without-via", "503-five-times"],
)
async def test_a_reply_that_fails_to_send_is_recorded_as_not_delivered(
    factbot: Harness, status: int, code: int, count: int
) -> None:
    fake = factbot.fake
    fake.fail_next("POST", MESSAGES, status, code=code, count=count)
    await fake.send_message("!trade xizang 2023")
    await fake.wait_until(
        lambda: sum(1 for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")) >= count or None,
        10, "the failed sends",
    )  # fmt: skip
    row = await _only_row(factbot)
    assert row["status"] == "answered"  # the engine did answer
    assert row["delivered"] == 0
    assert f"HTTP {status}" in str(row["error"])


async def test_two_503s_are_retried_and_the_answer_arrives(factbot: Harness) -> None:
    fake = factbot.fake
    fake.fail_next("POST", MESSAGES, 503, count=2)
    assert "10 billion yuan" in text_of(await factbot.ask("!trade xizang 2023"))
    posts = [r.status for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert posts == [503, 503, 200]
    row = await _only_row(factbot)
    assert (row["delivered"], row["error"]) == (1, None)


async def test_a_slash_reply_that_fails_is_recorded_as_not_delivered(factbot: Harness) -> None:
    fake = factbot.fake
    fake.fail_next("POST", r"^/interactions/\d+/[^/]+/callback$", 400, code=50035)
    await fake.send_interaction_command("fact", {"query": "trade xizang 2023"})
    await fake.wait_until(lambda: factbot.rows() or None, 5, "the row")
    row = await _only_row(factbot)
    assert row["delivered"] == 0 and "HTTP 400" in str(row["error"])
