"""Text commands in a server and in DMs, end to end through the fake Discord."""

from __future__ import annotations

import pytest
from discord import app_commands

from fakediscord import CallbackType, FakeConfig, Op
from fakediscord.config import EVERYONE_PERMISSIONS, PERM_EMBED_LINKS, PERM_MANAGE_MESSAGES
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import Harness, text_of

pytestmark = pytest.mark.timeout(30)


async def test_startup_logs_in_gets_ready_and_sees_the_guild(factbot: Harness) -> None:
    fake, bot = factbot.fake, factbot.bot
    assert [r.path for r in fake.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert fake.gateway_ops()[:1] == [Op.IDENTIFY]
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    guild = bot.get_guild(fake.guild_id)
    assert guild is not None and guild.get_channel(fake.channel_id) is not None
    assert bot.intents.message_content and bot.intents.dm_messages
    assert bot.owner_ids == {fake.owner.id}


@pytest.mark.parametrize(
    ("content", "figure"),
    [
        ("!trade xizang 2023", "10 billion yuan"),
        ("!trade xinjang 2023", "357.33 billion yuan"),  # typo
        ("!trade tibet 2023", "10 billion yuan"),  # synonym
        ("!trade kashgar first 11 months 2023", "77.15 billion yuan"),  # period phrase
        ("!fact How much did Xinjiang trade with Belt and Road countries in H1 2023?", "138.3 billion yuan"),
        ("!ask How much did Xinjiang trade with Belt and Road countries in H1 2023?", "138.3 billion yuan"),
        ("!tourism tibet 2023", "55.1697 million"),  # a metric word as a command
        ("!gdp xinjiang 2024", "2.05 trillion yuan"),
        ("!power xizang", "7.5809 million kilowatts"),
        ("!TRADE Xizang 2023", "10 billion yuan"),  # commands ignore case
    ],
)
async def test_guild_commands_answer_with_the_figure(factbot: Harness, content: str, figure: str) -> None:
    reply = await factbot.ask(content)
    assert figure in text_of(reply)
    assert reply.reference_id is not None  # a reply to the command message
    assert reply.payload["allowed_mentions"]["parse"] == []


async def test_answer_embed_has_title_figure_period_and_source(factbot: Harness) -> None:
    reply = await factbot.ask("!trade xizang 2023")
    (embed,) = reply.embeds
    assert embed["title"] == "Xizang · foreign trade · 2023"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Figure"] == "10 billion yuan ($138.08 million)"
    assert fields["Period"] == "2023"
    assert "Xizang reaches trade milestone" in fields["Source"] and "2024-05" in fields["Source"]
    assert "reached 10 billion yuan ($138.08 million) in 2023" in fields["Quote"]
    assert not reply.components  # an answer needs no buttons


async def test_unknown_place_gets_suggestion_buttons_and_a_click_answers(factbot: Harness) -> None:
    fake = factbot.fake
    reply = await factbot.ask("!trade atlantis 2023")
    text = text_of(reply)
    assert "atlantis" in text and "not for what you asked" in text
    buttons = [c for row in reply.components for c in row["components"]]
    assert 1 <= len(buttons) <= 5
    assert all(len(b["label"]) <= 80 and len(b["custom_id"]) <= 100 for b in buttons)
    xizang = next(b for b in buttons if "Xizang" in b["label"])
    iid = await fake.click_button(reply, xizang["custom_id"])
    record = await fake.wait_for_interaction_response(iid)
    assert record.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert "10 billion yuan" in text_of(fake.posted[-1])


async def test_nearest_says_so_plainly(factbot: Harness) -> None:
    reply = await factbot.ask("!trade xizang 2022")
    text = text_of(reply)
    assert "No figure for Xizang · foreign trade · 2022" in text
    assert reply.components  # the nearest periods, as buttons


async def test_dm_without_prefix_is_a_question(factbot: Harness) -> None:
    reply = await factbot.ask("How much did Xinjiang trade with Belt and Road countries in H1 2023?", guild=False)
    assert "138.3 billion yuan" in text_of(reply)
    assert reply.reference_id is None  # a DM needs no reply marker


async def test_dm_commands_work_with_or_without_prefix(factbot: Harness) -> None:
    assert "10 billion yuan" in text_of(await factbot.ask("!trade xizang 2023", guild=False))
    assert "10 billion yuan" in text_of(await factbot.ask("trade xizang 2023", guild=False))
    assert "55.1697 million" in text_of(await factbot.ask("!tourism tibet 2023", guild=False))
    assert "Source documents" in text_of(await factbot.ask("sources", guild=False))
    assert "Text commands" in text_of(await factbot.ask("help", guild=False))


async def test_a_mention_is_a_question(factbot: Harness) -> None:
    fake = factbot.fake
    reply = await factbot.ask(f"{fake.bot_user.mention} how much did xinjiang trade in 2023?")
    assert "357.33 billion yuan" in text_of(reply)


async def test_unknown_prefix_word_in_a_server_is_left_to_other_bots(factbot: Harness) -> None:
    fake = factbot.fake
    await fake.send_message("!play some music")
    await fake.send_message("!trade xizang 2023")
    reply = await fake.wait_for_reply(fake.channel_id)
    assert "10 billion yuan" in text_of(reply)
    assert len([p for p in fake.posted if p.via == "channel"]) == 1


async def test_help_is_generated_from_the_registered_commands(factbot: Harness) -> None:
    bot = factbot.bot
    text = text_of(await factbot.ask("!help"))
    for command in bot.commands:
        if not command.extras.get("admin"):
            assert f"!{command.name}" in text
    for command in bot.tree.get_commands():
        if isinstance(command, app_commands.ContextMenu):
            assert f"Apps):\n  {command.name} - " in text  # listed as a message menu, not a slash command
        elif not command.extras.get("admin"):
            assert f"/{command.name}" in text
    assert "!reload" not in text  # admin commands are shown to admins only
    assert "Any figure works as a command" in text
    detail = text_of(await factbot.ask("!help trade"))
    assert "!trade <place> [period]" in detail and "Foreign trade of a place" in detail
    hidden = text_of(await factbot.ask("!help reload"))
    assert "No command called 'reload'" in hidden and "old store" not in hidden


async def test_help_shows_admin_commands_to_the_owner(factbot: Harness) -> None:
    text = text_of(await factbot.ask("!help", author=factbot.fake.owner))
    assert "!reload" in text and "/stats" in text
    assert "old store keeps serving" in text_of(await factbot.ask("!help reload", author=factbot.fake.owner))


async def test_sources_and_one_source(factbot: Harness) -> None:
    listing = text_of(await factbot.ask("!sources"))
    assert "Source documents" in listing and "Global Times" in listing
    assert "0. Xizang reaches trade milestone" in listing  # numbered as the files are (000_...)
    detail = text_of(await factbot.ask("!source 0"))
    assert "xizang.trade\\_total.2023" in detail or "xizang.trade_total.2023" in detail
    assert "000\\_" in detail or "000_" in detail
    other = text_of(await factbot.ask("!source 1"))
    assert "001\\_" in other or "001_" in other


async def test_everyone_in_a_query_pings_nobody_and_is_escaped(factbot: Harness) -> None:
    reply = await factbot.ask("!trade @everyone **boom** 2023")
    assert reply.payload["allowed_mentions"]["parse"] == []
    text = text_of(reply)
    assert "@everyone" not in text
    assert "@\u200beveryone" in text
    assert "\\*\\*boom\\*\\*" in text


async def test_a_4000_character_message_gets_a_clear_answer(factbot: Harness) -> None:
    reply = await factbot.ask("!fact " + "how much did xizang trade " * 160)
    text = text_of(reply)
    assert "characters long" in text and "at most 500" in text
    assert len(reply.content) <= 2000


async def test_plain_text_where_the_bot_may_not_embed(start_factbot: StartBot) -> None:
    no_embeds = EVERYONE_PERMISSIONS & ~PERM_EMBED_LINKS
    config = FakeConfig(bot_permissions=no_embeds | PERM_MANAGE_MESSAGES, everyone_permissions=no_embeds)
    async with start_factbot(config=config) as h:
        reply = await h.ask("!trade xizang 2023")
        assert not reply.embeds
        assert "10 billion yuan" in reply.content and "Quote:" in reply.content
        odd = await h.ask("!trade @everyone 2023")
        assert not odd.embeds and "@\u200beveryone" in odd.content
        assert odd.payload["allowed_mentions"]["parse"] == []
        assert odd.components  # buttons work without embeds


async def test_a_listing_longer_than_an_embed_is_cut_with_an_ellipsis(factbot: Harness) -> None:
    reply = await factbot.ask("!source 1")  # 001_...: 75 facts: more than an embed description holds
    (embed,) = reply.embeds
    assert len(embed["description"]) <= 4096 and embed["description"].endswith("…")


async def test_an_unknown_command_in_a_dm_says_what_to_do(factbot: Harness) -> None:
    text = text_of(await factbot.ask("!foo bar", guild=False))
    assert "Unknown command '!foo'" in text and "!help" in text
