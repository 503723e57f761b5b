"""Rows the database can never take are quarantined, counted and warned about; they never
stop the writer, block the rows beside them, or make the next start hang."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from bot.querylog.records import to_row
from bot.querylog.schema import ROW_COLUMNS
from bot.querylog.spool import spool_path_for
from tests.querylog.backends import Backend
from tests.querylog.conftest import OpenLog
from tests.querylog.helpers import rec, uids

pytestmark = pytest.mark.timeout(30)


async def test_a_lone_surrogate_in_a_query_is_stored_as_a_replacement_and_the_writer_lives(
    ql: Backend
) -> None:
    log = await ql.open()
    bad = rec("trade \ud83d xizang 2023")
    assert await log.record(bad)
    after = rec("trade xizang 2023")
    assert await log.record(after)  # committed to the database, not sent to the spool
    stored = ql.rows()
    assert [r["query"] for r in stored] == ["trade \ufffd xizang 2023", "trade xizang 2023"]
    assert log.spooled == 0 and log.rejected == 0


def _spool_line(row: dict[str, object]) -> str:
    return json.dumps(row) + "\n"


def _good_row(text: str) -> dict[str, object]:
    return dict(zip(ROW_COLUMNS, to_row(rec(text), user_hash=None, user_id=None), strict=True))


async def test_bad_spool_rows_are_quarantined_and_the_good_rows_beside_them_replayed(
    ql: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    ql.local.parent.mkdir(parents=True)
    good = [_good_row(f"good {i}") for i in range(3)]
    surrogate = {**_good_row("surrogate"), "query": "\ud83d"}  # json.dumps writes "\ud83d"
    huge = {**_good_row("huge"), "guild_id": 10**30}
    wrong_type = {**_good_row("wrong type"), "score": {"not": "a number"}}
    spool = spool_path_for(ql.local)
    spool.write_text(
        _spool_line(good[0]) + _spool_line(surrogate) + _spool_line(huge) + "not json at all\n"
        + _spool_line(good[1]) + _spool_line(wrong_type) + _spool_line(good[2])
    )  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="bot.querylog"):
        log = await asyncio.wait_for(ql.open(), 10)  # once: reconnected every second, forever
    assert sorted(ql.uids()) == sorted(str(r["uid"]) for r in good)
    assert (log.replayed, log.rejected, log.dropped) == (3, 4, 0)
    assert not spool.exists() and not spool.with_name(spool.name + ".replaying").exists()
    quarantined = [json.loads(line) for line in log.rejected_path.read_text().splitlines()]
    assert len(quarantined) == 4
    assert all(q["reason"] for q in quarantined)
    assert "moved to" in caplog.text
    # and the writer goes on writing
    assert await log.record(rec("after replay"))
    assert log.available


async def test_a_record_with_an_integer_sqlite_cannot_hold_is_quarantined_alone(ql: Backend) -> None:
    log = await ql.open()
    records = [rec("before"), rec("huge channel", channel_id=2**64), rec("after")]
    results = await asyncio.gather(*(log.record(r) for r in records))
    assert results == [True, True, True]  # each one is dealt with; none waits behind another
    assert sorted(ql.uids()) == sorted([records[0].uid, records[2].uid])
    assert log.rejected == 1
    assert records[1].uid in log.rejected_path.read_text()
    assert await log.record(rec("later"))


async def test_a_row_error_the_checks_did_not_foresee_is_found_row_by_row(
    open_log: OpenLog, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.querylog.log as log_module

    # Without the up-front checks, the bad value reaches SQLite's binding and the whole
    # batch fails; the writer must then find the one bad row and write the others.
    monkeypatch.setattr(log_module, "row_problem", lambda row: None)
    log = await open_log()
    records = [rec("one"), rec("overflow", guild_id=2**70), rec("two")]
    results = await asyncio.gather(*(log.record(r) for r in records))
    assert results == [True, True, True]
    assert sorted(uids(db)) == sorted([records[0].uid, records[2].uid])
    assert log.rejected == 1 and "OverflowError" in log.rejected_path.read_text()
    assert await log.record(rec("after"))
