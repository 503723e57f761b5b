"""The fake Discord against a bare discord.py bot: proof that the wire protocol holds.

The bot here is a plain ``commands.Bot`` built in this file, not factbot's,
so a failure points at the fake (or at a discord.py upgrade), never at the
project's code.
"""

from __future__ import annotations

import asyncio
import io

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from fakediscord import (
    INTENT_MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
    CallbackType,
    FakeConfig,
    FakeDiscord,
    Op,
)

pytestmark = pytest.mark.timeout(20)

PLACES = ["Paris", "Parma", "Porto", "Lyon"]


class MoreView(discord.ui.View):
    """One button; clicking it edits the message in place."""

    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.clicked_by: int | None = None

    @discord.ui.button(label="More", custom_id="fact:more")
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button[MoreView]) -> None:
        self.clicked_by = interaction.user.id
        await interaction.response.edit_message(content="more facts", view=None)


def make_bare_bot(*, message_content: bool = True) -> commands.Bot:
    intents = discord.Intents.default()
    intents.message_content = message_content
    bot = commands.Bot(command_prefix="!", intents=intents, help_command=None)

    @bot.command()
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send("pong")

    @bot.command()
    async def upload(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send("here it is", file=discord.File(io.BytesIO(b"42 is the answer"), filename="fact.txt"))

    @bot.command()
    async def echofile(ctx: commands.Context[commands.Bot]) -> None:
        data = await ctx.message.attachments[0].read()
        await ctx.reply(f"read {data.decode()}")

    @bot.command()
    async def menu(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send("some facts", view=MoreView())

    @bot.command()
    async def long(ctx: commands.Context[commands.Bot]) -> None:
        try:
            await ctx.send("x" * 2001)
        except discord.HTTPException as exc:
            await ctx.send(f"refused {exc.code}")

    @bot.command()
    async def owner(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send("yes" if await ctx.bot.is_owner(ctx.author) else "no")

    @bot.tree.command(name="fact", description="Look up a fact about a place")
    async def fact(interaction: discord.Interaction, place: str, year: int = 2020) -> None:
        await interaction.response.send_message(f"{place} in {year}: 42")

    @fact.autocomplete("place")
    async def fact_place(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=p, value=p) for p in PLACES if p.lower().startswith(current.lower())]

    @bot.tree.command(name="slow", description="Defers, then edits and follows up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="done thinking")
        await interaction.followup.send("and one more thing", ephemeral=True)

    admin = app_commands.Group(name="admin", description="Admin tools")

    @admin.command(name="echo", description="Say it back")
    async def echo(interaction: discord.Interaction, text: str, who: discord.Member | None = None) -> None:
        await interaction.response.send_message(f"{text} {who.name if who else 'nobody'}")

    bot.tree.add_command(admin)

    @bot.tree.command(name="suggest", description="Opens a form")
    async def suggest(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(SuggestModal())

    return bot


class SuggestModal(discord.ui.Modal, title="Suggest a fact"):
    text: discord.ui.TextInput[SuggestModal] = discord.ui.TextInput(label="Fact", custom_id="suggest:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


async def test_login_ready_and_guild_create(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()) as bot:
        assert bot.user is not None and bot.user.id == fake.bot_user.id
        assert bot.application_id == fake.config.application_id
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None and guild.name == fake.guild.name
        channel = guild.get_channel(fake.channel_id)
        assert isinstance(channel, discord.TextChannel)
        assert guild.me is not None and guild.me.guild_permissions.send_messages
        await fake.wait_for_op(Op.HEARTBEAT)
        await asyncio.sleep(0.05)  # the ACK is read on the bot's side
        assert bot.latency < 1.0  # heartbeats are ACKed
        assert fake.gateway_ops()[:1] == [Op.IDENTIFY]
        paths = [r.path for r in fake.requests]
        assert paths[:2] == ["/users/@me", "/oauth2/applications/@me"]
    assert not fake.unhandled_requests


async def test_ping_in_guild_channel_gets_pong(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.send_message("!ping")
        reply = await fake.wait_for_reply(fake.channel_id)
        assert reply.content == "pong"
        request = await fake.wait_for_request("POST", rf"^/channels/{fake.channel_id}/messages$")
        assert request.headers["Authorization"] == f"Bot {fake.config.token}"


async def test_ping_in_dm_gets_pong(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.send_message("!ping", guild=False)
        reply = await fake.wait_for_reply(fake.dm_channel_id())
        assert reply.content == "pong"


async def test_multipart_attachment_is_recorded_and_served(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.send_message("!upload")
        reply = await fake.wait_for_reply(fake.channel_id)
        assert reply.content == "here it is"
        assert [(a.filename, a.data) for a in reply.attachments] == [("fact.txt", b"42 is the answer")]
        url = reply.message["attachments"][0]["url"]
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert await response.read() == b"42 is the answer"


async def test_bot_can_read_a_users_attachment(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        mid = await fake.send_message("!echofile", attachments=[("note.txt", b"hello")])
        reply = await fake.wait_for_reply(fake.channel_id)
        assert reply.content == "read hello"
        assert reply.reference_id == mid


async def test_gateway_drop_resumes_and_replays_missed_message(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        assert await fake.drop_connection() == 1
        await fake.send_message("!ping")  # queued: nobody is connected
        resume = await fake.wait_for_op(Op.RESUME)
        reply = await fake.wait_for_reply(fake.channel_id)
        assert reply.content == "pong"
        assert resume.path == "/gateway/resume"  # the resume_gateway_url from READY
        assert fake.gateway_ops().count(Op.IDENTIFY) == 1


async def test_close_code_4000_also_resumes(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.drop_connection(code=4000)
        await fake.wait_for_op(Op.RESUME)
        await fake.send_message("!ping")
        assert (await fake.wait_for_reply(fake.channel_id)).content == "pong"
        assert fake.gateway_ops().count(Op.IDENTIFY) == 1


async def test_refused_resume_falls_back_to_identify(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        fake.refuse_next_resume()
        await fake.drop_connection()
        await fake.wait_for_op(Op.IDENTIFY, count=2)
        await fake.wait_until_connected()
        await fake.send_message("!ping")
        assert (await fake.wait_for_reply(fake.channel_id)).content == "pong"


async def test_reconnect_op_resumes(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        assert await fake.request_reconnect() == 1
        await fake.wait_for_op(Op.RESUME)
        await fake.send_message("!ping")
        assert (await fake.wait_for_reply(fake.channel_id)).content == "pong"


async def test_rate_limited_post_is_retried(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        fake.rate_limit_next("POST", r"^/channels/\d+/messages$", retry_after=0.05)
        await fake.send_message("!ping")
        reply = await fake.wait_for_reply(fake.channel_id)
        assert reply.content == "pong"
        posts = [r.status for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
        assert posts == [429, 200]


async def test_bad_token_raises_login_failure(fake_discord: FakeDiscord) -> None:
    with pytest.raises(discord.LoginFailure):
        async with fake_discord.run_bot(make_bare_bot(), token="not-the-token"):
            pass
    assert fake_discord.requests[0].status == 401


async def test_message_content_not_granted_raises_privileged_intents_required() -> None:
    config = FakeConfig(intents_allowed=PRIVILEGED_INTENTS & ~INTENT_MESSAGE_CONTENT)
    async with FakeDiscord(config) as fake:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with fake.run_bot(make_bare_bot()):
                pass
        assert fake.gateway_ops() == [Op.IDENTIFY]


async def test_without_message_content_intent_guild_text_is_empty_but_dm_is_not(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot(message_content=False)):
        await fake.send_message("!ping")  # arrives with content "": no command
        await fake.send_message("!ping", guild=False)
        reply = await fake.wait_for_reply()
        assert reply.channel_id == fake.dm_channel_id()
        await asyncio.sleep(0.1)
        assert len(fake.posted) == 1


async def test_slash_command_gets_its_callback(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()) as bot:
        synced = await bot.tree.sync()
        names = {"fact", "slow", "admin", "suggest"}
        assert {c.name for c in synced} == names
        assert {c["name"] for c in fake.registered_commands()} == names
        iid = await fake.send_interaction_command("fact", {"place": "Paris", "year": 1999})
        record = await fake.wait_for_interaction_response(iid)
        assert record.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
        assert record.content == "Paris in 1999: 42"
        assert fake.posted[-1].via == "interaction"


async def test_deferred_command_edit_and_followup(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        iid = await fake.send_interaction_command("slow", guild=False)
        record = await fake.wait_for_interaction_response(iid, lambda r: r.content == "done thinking")
        assert record.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        followup = await fake.wait_for_followup(iid)
        assert followup.content == "and one more thing" and followup.ephemeral


async def test_subcommand_with_user_option_without_sync(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        iid = await fake.send_interaction_command("admin echo", {"text": "hi", "who": fake.owner})
        record = await fake.wait_for_interaction_response(iid)
        assert record.content == f"hi {fake.owner.username}"


async def test_modal_opened_and_submitted(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        opener = await fake.send_interaction_command("suggest")
        record = await fake.wait_for_interaction_response(opener)
        assert record.callback_type == CallbackType.MODAL
        submitted = await fake.submit_modal(opener, {"suggest:text": "cats sleep 16h"})
        answer = await fake.wait_for_interaction_response(submitted)
        assert answer.content == "thanks: cats sleep 16h"


async def test_discord_limits_are_enforced(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.send_message("!long")
        assert (await fake.wait_for_reply(fake.channel_id)).content == "refused 50035"
        assert [r.status for r in fake.requests if r.path.endswith("/messages")] == [400, 200]


async def test_autocomplete_gets_type_8_choices(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        iid = await fake.send_autocomplete("fact", {"place": "pa"}, focused="place")
        record = await fake.wait_for_interaction_response(iid)
        assert record.callback_type == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
        assert [c["value"] for c in record.choices] == ["Paris", "Parma"]


async def test_button_click_reaches_view_callback(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.send_message("!menu")
        menu = await fake.wait_for_reply(fake.channel_id)
        iid = await fake.click_button(menu, "fact:more", user=fake.owner)
        record = await fake.wait_for_interaction_response(iid)
        assert record.callback_type == CallbackType.UPDATE_MESSAGE
        assert fake.message(menu.id)["content"] == "more facts"
        assert fake.message(menu.id)["components"] == []


async def test_application_owner_is_owner(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    async with fake.run_bot(make_bare_bot()):
        await fake.send_message("!owner", author=fake.owner)
        assert (await fake.wait_for_reply()).content == "yes"
        await fake.send_message("!owner")  # the tester
        assert (await fake.wait_for_reply()).content == "no"


async def test_team_members_are_owners() -> None:
    defaults = FakeConfig()
    config = FakeConfig(team_member_ids=(defaults.owner.id, defaults.tester.id))
    async with FakeDiscord(config) as fake, fake.run_bot(make_bare_bot()):
        await fake.send_message("!owner")
        assert (await fake.wait_for_reply()).content == "yes"


async def test_json_header_is_exact_and_unknown_routes_are_recorded(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    headers = {"Authorization": f"Bot {fake.config.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(fake.api_base + "/users/@me") as response:
            assert response.headers["Content-Type"] == "application/json"
        async with session.get(fake.api_base + "/guilds/1/bans") as response:
            assert response.status == 404
    assert [r.path for r in fake.unhandled_requests] == ["/guilds/1/bans"]


async def test_globals_are_restored() -> None:
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as fake:
        assert fake.api_base == Route.BASE
        assert fake.gateway_url == str(DiscordWebSocket.DEFAULT_GATEWAY)
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
