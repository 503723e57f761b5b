"""Slash commands and autocomplete, end to end through the fake Discord."""

from __future__ import annotations

import pytest

from fakediscord import CallbackType, InteractionRecord
from tests.discord_app.harness import Harness

pytestmark = pytest.mark.timeout(30)


def _text(record: InteractionRecord) -> str:
    data = record.callback_data or {}
    parts = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
    for followup in record.followups:
        parts.append(followup.content)
        for embed in followup.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def _slash(h: Harness, name: str, options: dict[str, object] | None = None, **kw: object) -> InteractionRecord:
    iid = await h.fake.send_interaction_command(name, options, **kw)  # type: ignore[arg-type]
    return await h.fake.wait_for_interaction_response(iid)


async def test_commands_are_registered_for_servers_dms_and_user_installs(factbot: Harness) -> None:
    registered = {c["name"]: c for c in factbot.fake.registered_commands()}
    assert {"trade", "fact", "figure", "sources", "help", "reload", "sync", "stats"} <= set(registered)
    for name, command in registered.items():
        assert command["contexts"] == ([0] if name == "settings" else [0, 1, 2])  # settings belong to a server
        assert command["integration_types"] == [0, 1]


async def test_trade_gets_its_callback_with_the_figure(factbot: Harness) -> None:
    record = await _slash(factbot, "trade", {"place": "Xizang", "period": "2023"})
    assert record.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert "10 billion yuan" in _text(record)
    assert (record.callback_data or {})["allowed_mentions"]["parse"] == []


async def test_trade_without_period_gives_the_latest_full_year(factbot: Harness) -> None:
    assert "357.33 billion yuan" in _text(await _slash(factbot, "trade", {"place": "Xinjiang"}))


async def test_fact_gets_its_callback_with_the_figure(factbot: Harness) -> None:
    question = "How much did Xinjiang trade with Belt and Road countries in H1 2023?"
    assert "138.3 billion yuan" in _text(await _slash(factbot, "fact", {"query": question}))


async def test_figure_takes_metric_place_and_period(factbot: Harness) -> None:
    options = {"metric": "tourist arrivals", "place": "Tibet", "period": "2023"}
    assert "55.1697 million" in _text(await _slash(factbot, "figure", options))


async def test_slash_commands_work_in_dms(factbot: Harness) -> None:
    assert "10 billion yuan" in _text(await _slash(factbot, "trade", {"place": "Tibet", "period": "2023"}, guild=False))


async def test_a_typed_value_autocomplete_never_offered_is_rechecked(factbot: Harness) -> None:
    record = await _slash(factbot, "trade", {"place": "Atlantis", "period": "2023"})
    text = _text(record)
    assert "Atlantis" in text and "not for what you asked" in text
    assert (record.callback_data or {}).get("components")  # suggestion buttons
    odd = await _slash(factbot, "trade", {"place": "Xizang", "period": "the year of the dragon"})
    assert "Xizang" in _text(odd)


async def test_sources_and_help(factbot: Harness) -> None:
    assert "Global Times" in _text(await _slash(factbot, "sources"))
    assert "facts cite it" in _text(await _slash(factbot, "sources", {"document": "004_b158c2bc0f307f26.txt"}))
    help_record = await _slash(factbot, "help")
    assert "/trade" in _text(help_record) and "!trade" in _text(help_record)
    assert "/reload" not in _text(help_record)


async def test_place_autocomplete_is_fuzzy_and_within_limits(factbot: Harness) -> None:
    fake = factbot.fake
    iid = await fake.send_autocomplete("trade", {"place": "tib"}, focused="place")
    record = await fake.wait_for_interaction_response(iid)
    assert record.callback_type == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert record.choices[0]["value"] == "Xizang" and "Tibet" in record.choices[0]["name"]
    iid = await fake.send_autocomplete("trade", {"place": ""}, focused="place")
    everything = (await fake.wait_for_interaction_response(iid)).choices
    assert 1 <= len(everything) <= 25
    assert all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in everything)


async def test_period_autocomplete_offers_the_periods_of_the_chosen_place(factbot: Harness) -> None:
    fake = factbot.fake
    iid = await fake.send_autocomplete("trade", {"place": "kashgar", "period": ""}, focused="period")
    values = [c["value"] for c in (await fake.wait_for_interaction_response(iid)).choices]
    assert "January to November 2023" in values
    assert "H1 2023" not in values  # a Xinjiang period, not Kashgar's


async def test_metric_autocomplete_for_figure(factbot: Harness) -> None:
    fake = factbot.fake
    iid = await fake.send_autocomplete("figure", {"metric": "touris", "place": "Tibet"}, focused="metric")
    values = [c["value"] for c in (await fake.wait_for_interaction_response(iid)).choices]
    assert "tourist arrivals" in values and len(values) <= 25
