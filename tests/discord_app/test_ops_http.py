"""/metrics and /healthz of a running bot, scraped while queries flow through the fake Discord."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.discord_app.ops import ops_server
from bot.discord_app.runner import serve
from bot.ops.http import OpsServer
from fakediscord import FakeDiscord
from tests.discord_app.harness import Harness, make_settings

pytestmark = pytest.mark.timeout(60)

QUESTIONS = [
    "!trade xizang 2023",  # answered
    "!trade qinghai 2023",  # a place the store does not have
    "!gdp kashgar 2023",
    "!tourism tibet 2023",
]


@pytest.fixture
async def ops(factbot: Harness) -> AsyncIterator[OpsServer]:
    server = ops_server(factbot.bot, bind="127.0.0.1", port=0)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _get(server: OpsServer, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{server.port}{path}") as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _query_counts(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for (name, labels), value in samples.items():
        if name == "factbot_queries_total":
            label = dict(labels)
            counts[(label["surface"], label["status"])] = int(value)
    return counts


async def test_metrics_count_every_query_by_surface_and_status_while_queries_flow(
    factbot: Harness, ops: OpsServer
) -> None:
    fake = factbot.fake
    rounds = 5
    scraped_totals: list[int] = []

    async def traffic() -> None:
        for _ in range(rounds):
            for question in QUESTIONS:
                await factbot.ask(question)  # prefix, in the server; returns with the reply
            await factbot.ask("trade xizang 2023", guild=False)  # a DM
            iid = await fake.send_interaction_command("fact", {"query": "gdp xinjiang 2024"})
            await fake.wait_for_interaction_response(iid)

    async def scraper() -> None:
        while not sending.done():
            status, _, body = await _get(ops, "/metrics")
            assert status == 200
            scraped_totals.append(sum(_query_counts(_samples(body)).values()))
            await asyncio.sleep(0.01)

    sending = asyncio.create_task(traffic())
    await asyncio.gather(sending, scraper())
    expected_total = rounds * (len(QUESTIONS) + 2)
    await fake.wait_until(lambda: len(factbot.rows()) == expected_total, 10, "every query logged")

    status, content_type, body = await _get(ops, "/metrics")
    assert status == 200 and content_type.startswith("text/plain; version=")
    samples = _samples(body)
    # the counters say exactly what the query log holds, row for row
    logged = Counter((row["surface"], row["status"]) for row in factbot.rows())
    assert _query_counts(samples) == logged
    assert sum(logged.values()) == expected_total
    assert {surface for surface, _ in logged} == {"prefix", "dm", "slash"}
    assert len({status for _, status in logged}) >= 2  # answered and not answered are told apart
    # scraped mid-flow: never more than was sent, never going backwards
    assert scraped_totals == sorted(scraped_totals) and scraped_totals[-1] <= expected_total
    assert len(scraped_totals) >= 2
    assert samples[("factbot_reply_latency_seconds_count", ())] == expected_total
    assert samples[("factbot_reply_latency_seconds_sum", ())] > 0
    assert samples[("factbot_store_facts", ())] == len(factbot.bot.service.store.facts) > 0
    assert samples[("factbot_querylog_queue_rows", ())] == 0
    assert samples[("factbot_querylog_spooled_rows_total", ())] == 0
    assert samples[("factbot_querylog_dropped_rows_total", ())] == 0
    latency = samples[("factbot_gateway_latency_seconds", ())]
    assert math.isfinite(latency) and latency >= 0


async def test_the_reload_time_moves_on_reload(factbot: Harness, ops: OpsServer) -> None:
    before = _samples((await _get(ops, "/metrics"))[2])[("factbot_store_loaded_timestamp_seconds", ())]
    await asyncio.sleep(0.01)
    assert (await factbot.bot.reload_store("test")).ok
    after = _samples((await _get(ops, "/metrics"))[2])[("factbot_store_loaded_timestamp_seconds", ())]
    assert after > before > 0


async def test_healthz_is_200_when_all_is_well_and_503_naming_the_part_that_fails(
    factbot: Harness, ops: OpsServer
) -> None:
    status, content_type, body = await _get(ops, "/healthz")
    assert status == 200 and content_type.startswith("application/json"), body
    health = json.loads(body)
    assert health["ok"] is True and health["failing"] == {}
    assert set(health["parts"]) == {"gateway", "store", "querylog"}

    await factbot.querylog.close()  # the log can no longer be written
    status, _, body = await _get(ops, "/healthz")
    assert status == 503
    assert set(json.loads(body)["failing"]) == {"querylog"}

    await factbot.bot.close()  # and the gateway is gone
    status, _, body = await _get(ops, "/healthz")
    assert status == 503
    failing = json.loads(body)["failing"]
    assert set(failing) == {"gateway", "querylog"}
    assert "not connected" in failing["gateway"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_serve_listens_on_the_metrics_port_while_it_runs_and_not_after(tmp_path: Path) -> None:
    port = _free_port()
    stop = asyncio.Event()
    async with FakeDiscord(patch_client=False) as fake:
        settings = make_settings(
            tmp_path, fake.config, api_base=fake.api_base, gateway_url=fake.gateway_url, metrics_port=port
        )
        task = asyncio.create_task(serve(settings, stop=stop))
        await fake.wait_until_connected()
        await fake.send_message("!trade xizang 2023")
        await fake.wait_for_reply(fake.channel_id)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200, await response.text()
            async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                samples = _samples(await response.text())
        assert samples[("factbot_queries_total", (("status", "answered"), ("surface", "prefix")))] == 1
        stop.set()
        assert await asyncio.wait_for(task, 15) == 0
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


async def test_serve_with_its_metrics_port_taken_exits_non_zero_with_one_clear_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        async with FakeDiscord(patch_client=False) as fake:
            settings = make_settings(
                tmp_path, fake.config, api_base=fake.api_base, gateway_url=fake.gateway_url, metrics_port=port
            )
            assert await asyncio.wait_for(serve(settings), 15) == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and f"cannot listen on 127.0.0.1:{port} for metrics" in errors[0]
