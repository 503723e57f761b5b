"""`!compare`, `!series`, `/compare`, `/series`, end to end through the fake Discord."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from bot.analysis import answerable_pairs, series_keys
from bot.analysis.resolve import resolve_place
from bot.render.charts import render_series_png
from bot.store.snapshot import Store
from fakediscord import CallbackType, FakeConfig, InteractionRecord, PostedMessage
from fakediscord.config import EVERYONE_PERMISSIONS, PERM_ATTACH_FILES, PERM_EMBED_LINKS
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import Harness, text_of
from tests.helpers import real_engine

pytestmark = pytest.mark.timeout(60)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# a hang guard, not a speed requirement: the chart is drawn before the followup is sent
WAIT = 30.0


@pytest.fixture(scope="module", autouse=True)
def charts_warm() -> Iterator[None]:
    """matplotlib imported (and its font cache built) before the bot's own render timeout starts counting."""
    render_series_png(series_keys(real_engine().store, "xinjiang", "trade_total"))
    yield


def cog_module(h: Harness) -> ModuleType:
    """The cog's module as the bot loaded it: `load_extension` executes a fresh copy of the module."""
    return h.bot.extensions["bot.discord_app.cogs.analysis"]


def store() -> Store:
    return real_engine().store


def record_text(record: InteractionRecord) -> str:
    data = record.callback_data or {}
    parts = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
    return "\n".join([*parts, *(text_of(f) for f in record.followups)])


def assert_png_attached(posted: PostedMessage) -> str:
    (attachment,) = posted.attachments
    assert attachment.filename.endswith(".png")
    assert attachment.data.startswith(PNG_SIGNATURE)
    return attachment.filename


async def slash(h: Harness, name: str, options: dict[str, object], **kw: object) -> InteractionRecord:
    iid = await h.fake.send_interaction_command(name, options, **kw)  # type: ignore[arg-type]
    return await h.fake.wait_for_interaction_response(iid, timeout=WAIT)


async def choices(h: Harness, name: str, options: dict[str, object], focused: str) -> list[dict[str, object]]:
    iid = await h.fake.send_autocomplete(name, options, focused=focused)
    return (await h.fake.wait_for_interaction_response(iid)).choices


# -- series -------------------------------------------------------------------------------------


async def test_series_sends_the_table_and_the_chart_in_one_message(factbot: Harness) -> None:
    fake = factbot.fake
    await fake.send_message("!series trade xinjiang")
    reply = await fake.wait_for_reply(fake.channel_id, timeout=WAIT)
    name = assert_png_attached(reply)
    assert name == "series_trade_total_xinjiang.png"
    text = text_of(reply)
    assert "246.36" in text and "357.33" in text and "435.11" in text
    (embed,) = reply.embeds
    assert embed["image"]["url"] == f"attachment://{name}"
    assert reply.payload["allowed_mentions"]["parse"] == []
    assert len([p for p in fake.posted if p.via == "channel"]) == 1


async def test_slash_series_defers_then_follows_up_with_the_chart(factbot: Harness) -> None:
    iid = await factbot.fake.send_interaction_command("series", {"metric": "trade_total", "place": "xinjiang"})
    record = await factbot.fake.wait_for_interaction_response(iid, timeout=WAIT)
    assert record.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    followup = await factbot.fake.wait_for_followup(iid, timeout=WAIT)
    assert_png_attached(followup)
    assert "435.11" in text_of(followup)


async def test_series_with_one_period_sends_no_chart_and_names_the_period(factbot: Harness) -> None:
    pair = next(p for p in answerable_pairs(store()) if p.points == 1 and p.metric == "trade_total")
    only = series_keys(store(), pair.place, pair.metric).points[0]
    reply = await factbot.ask(f"!series {pair.metric} {pair.place}")
    assert reply.attachments == []
    text = text_of(reply)
    assert "Only one period is known" in text and only.label in text
    assert "image" not in reply.embeds[0]


async def test_series_in_a_dm_and_by_slash_in_a_dm(factbot: Harness) -> None:
    fake = factbot.fake
    await fake.send_message("!series trade xinjiang", guild=False)
    assert_png_attached(await fake.wait_for_reply(fake.dm_channel_id(), timeout=WAIT))
    iid = await fake.send_interaction_command("series", {"metric": "GDP", "place": "Xinjiang"}, guild=False)
    await fake.wait_for_interaction_response(iid, timeout=WAIT)
    assert "GDP" in text_of(await fake.wait_for_followup(iid, timeout=WAIT))


async def test_a_chart_that_times_out_leaves_the_table_and_says_why(
    factbot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def too_slow(*args: object, **kwargs: object) -> bytes:
        raise TimeoutError

    monkeypatch.setattr(cog_module(factbot), "render_series_png_async", too_slow)
    reply = await factbot.ask("!series trade xinjiang")
    assert reply.attachments == []
    text = text_of(reply)
    assert "No chart this time" in text and "435.11" in text


# -- compare ------------------------------------------------------------------------------------


async def test_slash_compare_shows_both_figures_and_the_computed_label(factbot: Harness) -> None:
    options = {"metric": "trade", "place_a": "xizang", "place_b": "xinjiang", "period": "2023"}
    record = await slash(factbot, "compare", options)
    assert record.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    text = record_text(record)
    assert "10 billion yuan" in text and "357.33 billion yuan" in text
    assert "Computed by factbot" in text and "35.7 times" in text
    (embed,) = (record.callback_data or {})["embeds"]
    assert [f["inline"] for f in embed["fields"][:2]] == [True, True]
    assert "Global Times" in embed["footer"]["text"] and "China Daily" in embed["footer"]["text"]
    assert (record.callback_data or {})["allowed_mentions"]["parse"] == []


async def test_compare_with_one_side_missing_still_shows_the_other(factbot: Harness) -> None:
    text = text_of(await factbot.ask("!compare trade xizang qinghai 2023"))
    assert "Qinghai" in text and "no figure" in text
    assert "10 billion yuan" in text
    assert "Only one side has a figure" in text


async def test_compare_says_when_the_periods_differ(factbot: Harness) -> None:
    text = text_of(await factbot.ask("!compare trade kashi xinjiang 2023"))
    assert "periods differ" in text and "77.15 billion yuan" in text


async def test_unknown_values_get_the_sentence_and_suggestions_escaped(factbot: Harness) -> None:
    options = {"metric": "trade", "place_a": "Atlantis", "place_b": "xinjiang"}
    text = record_text(await slash(factbot, "compare", options))
    assert "'Atlantis' is not a place I know" in text and "Try:" in text and "Xizang" in text
    iid = await factbot.fake.send_interaction_command("series", {"metric": "trade", "place": "@everyone **boom**"})
    followup = await factbot.fake.wait_for_followup(iid, timeout=WAIT)
    assert followup.payload["allowed_mentions"]["parse"] == []
    echoed = text_of(followup)
    assert "@everyone" not in echoed and "@\u200beveryone" in echoed and "\\*\\*boom\\*\\*" in echoed


async def test_plain_text_where_the_bot_may_not_embed(start_factbot: StartBot) -> None:
    no_embeds = EVERYONE_PERMISSIONS & ~PERM_EMBED_LINKS
    async with start_factbot(config=FakeConfig(bot_permissions=no_embeds, everyone_permissions=no_embeds)) as h:
        compared = await h.ask("!compare trade xizang xinjiang 2023")
        assert not compared.embeds
        assert "10 billion yuan" in compared.content and "Computed by factbot" in compared.content
        drawn = await h.ask("!series trade xinjiang")
        assert not drawn.embeds and "```" in drawn.content and "435.11" in drawn.content
        assert_png_attached(drawn)


async def test_without_attach_files_the_table_says_why_there_is_no_chart(start_factbot: StartBot) -> None:
    no_files = EVERYONE_PERMISSIONS & ~PERM_ATTACH_FILES
    async with start_factbot(config=FakeConfig(bot_permissions=no_files, everyone_permissions=no_files)) as h:
        reply = await h.ask("!series trade xinjiang")
        assert reply.attachments == []
        assert "Attach Files" in text_of(reply) and "435.11" in text_of(reply)


# -- autocomplete -------------------------------------------------------------------------------


async def test_series_place_choices_have_figures_for_the_chosen_metric(factbot: Harness) -> None:
    with_trade = {p for (p, m) in store().by_place_metric if m == "trade_total"}
    offered = await choices(factbot, "series", {"metric": "trade_total", "place": ""}, "place")
    assert 1 <= len(offered) <= 25
    assert all(len(str(c["name"])) <= 100 and len(str(c["value"])) <= 100 for c in offered)
    assert {resolve_place(real_engine(), str(c["value"])) for c in offered} <= with_trade
    assert offered[0]["value"] == "Xinjiang"  # the longest series first
    typed = await choices(factbot, "series", {"metric": "trade_total", "place": "tib"}, "place")
    assert [c["value"] for c in typed] == ["Xizang"]


async def test_compare_choices_offer_comparable_metrics_and_places_with_that_metric(factbot: Harness) -> None:
    metrics = await choices(factbot, "compare", {"metric": "trad"}, "metric")
    assert metrics and metrics[0]["value"] == "trade_total" and len(metrics) <= 25
    places = await choices(factbot, "compare", {"metric": "gdp", "place_a": ""}, "place_a")
    with_gdp = {p for (p, m) in store().by_place_metric if m == "gdp"}
    assert {resolve_place(real_engine(), str(c["value"])) for c in places} == with_gdp
    metrics_for_series = await choices(factbot, "series", {"metric": "", "place": "xizang"}, "metric")
    assert metrics_for_series and all(len(str(c["name"])) <= 100 for c in metrics_for_series)


# -- registration, help, query log -----------------------------------------------------------------


async def test_commands_are_registered_for_dms_and_user_installs_and_listed_in_help(factbot: Harness) -> None:
    registered = {c["name"]: c for c in factbot.fake.registered_commands()}
    for name in ("compare", "series"):
        assert registered[name]["contexts"] == [0, 1, 2]
        assert registered[name]["integration_types"] == [0, 1]
    text = text_of(await factbot.ask("!help"))
    assert "!compare <metric> <place> <place> [period]" in text and "!series <metric> <place>" in text
    assert "/compare metric place_a place_b [period]" in text and "/series metric place" in text


async def test_each_compare_and_series_query_is_one_log_row_with_its_surface(factbot: Harness) -> None:
    fake = factbot.fake
    await factbot.ask("!compare trade xizang xinjiang 2023")
    await fake.send_message("!series trade xinjiang", guild=False)
    await fake.wait_for_reply(fake.dm_channel_id(), timeout=WAIT)
    await slash(factbot, "compare", {"metric": "trade", "place_a": "Atlantis", "place_b": "xinjiang"})
    iid = await fake.send_interaction_command("series", {"metric": "trade_total", "place": "xizang"})
    await fake.wait_for_followup(iid, timeout=WAIT)
    await choices(factbot, "series", {"metric": "trade_total", "place": "x"}, "place")  # counted, not logged

    rows = factbot.rows()
    assert [(r["surface"], r["status"]) for r in rows] == [
        ("prefix", "answered"),
        ("dm", "answered"),
        ("slash", "not_found"),
        ("slash", "answered"),
    ]
    compared, drawn, unknown, slash_series = rows
    assert compared["query"] == "!compare trade xizang xinjiang 2023"
    assert (compared["metric"], compared["period"]) == ("trade_total", "2023")
    assert (drawn["place"], drawn["metric"]) == ("xinjiang", "trade_total")
    assert unknown["query"] == "compare trade Atlantis xinjiang"
    assert slash_series["query"] == "series trade_total xizang" and slash_series["place"] == "xizang"
    assert all(r["error"] is None for r in rows)


async def test_a_handler_error_is_logged_as_error_with_an_apology(
    factbot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the comparison broke")

    monkeypatch.setattr(cog_module(factbot), "compare_text", broken)
    text = text_of(await factbot.ask("!compare trade xizang xinjiang"))
    assert "Sorry, something went wrong" in text and "the comparison broke" not in text
    (row,) = factbot.rows()
    assert row["status"] == "error" and "the comparison broke" in row["error"]
    assert [str(e) for e in factbot.bot.handler_errors] == ["the comparison broke"]
    factbot.bot.handler_errors.clear()  # expected here; the fixture fails on any other
