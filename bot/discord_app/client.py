"""`FactBot`: the discord.py bot, with the core and the query log injected.

`bot.discord_app.factory.create_bot(settings, service, querylog)` is the one way to build it; the
runner and the end-to-end tests both use it, so the tests run the bot exactly
as production configures it (intents, prefixes, mentions, error handling).

Routing text to the question handler without registering a command per metric
word happens in `get_context`: a message that names no registered command is
handed to `fact` with `ctx.routed_line` set when

* its first word is a metric word (`!tourism tibet 2023`, `!gdp xinjiang`),
  as `CommandRouter.is_command_name` decides for the console too;
* it mentions the bot (`@factbot how much did Xinjiang trade in 2023?`);
* it is a direct message: there every message is a question, prefixed or not
  (a bare command word such as `help` still runs that command).

Any other unknown `!word` in a server is ignored: other bots may share the prefix.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import deque
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.commands import CommandRouter
from bot.app.pipeline import Pipeline
from bot.config import Settings
from bot.discord_app.access import NotAdmin, owner_ids_of
from bot.discord_app.context import FactContext, interaction_plain, respond
from bot.discord_app.cooldown import RateLimited, UserCooldown
from bot.discord_app.followup import RecentReplies
from bot.discord_app.heartbeat import ShardHeartbeat
from bot.discord_app.helptext import FactHelpCommand
from bot.discord_app.i18n import FactTranslator
from bot.discord_app.queries import Origin, answer_interaction
from bot.discord_app.render import render_apology, render_notice
from bot.discord_app.retry import retry_service_unavailable
from bot.discord_app.safety import escape_text
from bot.discord_app.server_settings import ServerConfig, ServerSettings
from bot.discord_app.sync import SyncResult, sync_commands, sync_if_changed
from bot.discord_app.views import SuggestionButton
from bot.infra.textsafety import clean_payload
from bot.ops.metrics import QueryMetrics
from bot.querylog import QueryLog
from bot.service import FactService, ReloadResult
from bot.store.problems import Problem

if TYPE_CHECKING:
    from bot.discord_app.broadcast import ReloadBroadcast

log = logging.getLogger(__name__)

HANDLER_ERRORS_KEPT = 100

# Gateway events that carry user text into the bot.
USER_TEXT_EVENTS = ("MESSAGE_CREATE", "MESSAGE_UPDATE", "INTERACTION_CREATE")

EXTENSIONS = (
    "bot.discord_app.cogs.facts",
    "bot.discord_app.cogs.analysis",
    "bot.discord_app.cogs.sources",
    "bot.discord_app.cogs.meta",
    "bot.discord_app.cogs.admin",
    "bot.discord_app.cogs.settings",
    "bot.discord_app.followup",
)


def make_intents() -> discord.Intents:
    """The default intents plus message content (privileged: enable it in the Developer Portal)."""
    intents = discord.Intents.default()
    intents.message_content = True
    intents.dm_messages = True
    return intents


SLASH_FIRST = (
    "The Message Content intent is not enabled for this application, so prefix commands in server channels "
    "are off. Slash commands, the 'Look up figure' message menu, mentions (@factbot trade xizang 2023) and "
    "direct messages work. To turn prefix commands on: https://discord.com/developers/applications -> your "
    "application -> Bot -> Privileged Gateway Intents -> Message Content Intent, then restart factbot."
)


def message_content_granted(app: discord.AppInfo) -> bool:
    """Whether Discord will let this bot receive message content (verified or not)."""
    flags = app.flags
    return flags.gateway_message_content or flags.gateway_message_content_limited


def _prefixes(bot: commands.Bot, message: discord.Message) -> list[str]:
    assert isinstance(bot, FactBot)
    found = commands.when_mentioned(bot, message)
    found.append(bot.prefix_for(message.guild))
    if message.guild is None:
        word = message.content.strip()
        # a DM that is exactly one command word ("help", "sources") runs it without the prefix
        if word and not any(c.isspace() for c in word) and bot.get_command(word) is not None:
            found.append("")
    return found


class FactTree(app_commands.CommandTree["FactBot"]):
    async def interaction_check(self, interaction: discord.Interaction[FactBot], /) -> bool:
        # runs in the task that handles the interaction: the bot counts it as in flight
        bot = interaction.client
        if not bot.take_work():
            return False
        if interaction.type is not discord.InteractionType.application_command:
            return True  # autocomplete keystrokes are not queries
        config = bot.server_settings.get(interaction.guild_id)
        command = interaction.command.name if interaction.command else ""
        if not config.answers_in(interaction.channel_id) and command != "settings":
            await _respond_quietly(interaction, bot.elsewhere(config))
            return False
        if isinstance(interaction.command, commands.hybrid.HybridAppCommand):
            return True  # a hybrid command runs the bot's checks (cooldown included) itself
        refusal = await bot.over_cooldown(interaction.user)
        if refusal is None:
            return True
        # an interaction must be answered; ephemeral, so it adds nothing to the channel
        await _respond_quietly(interaction, str(refusal))
        return False

    async def on_error(self, interaction: discord.Interaction[FactBot], error: app_commands.AppCommandError) -> None:
        bot = interaction.client
        name = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(error, app_commands.CheckFailure | app_commands.TransformerError):
            await _respond_quietly(interaction, str(error))
            return
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        bot.note_handler_error(original, f"/{name}")
        try:
            await respond(interaction, render_apology(plain=interaction_plain(interaction)), ephemeral=True)
        except discord.HTTPException:
            log.warning("could not send the apology for /%s", name)


async def _respond_quietly(interaction: discord.Interaction[Any], text: str) -> None:
    try:
        notice = render_notice(escape_text(text), plain=interaction_plain(interaction))
        await respond(interaction, notice, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not answer interaction %s: %s", interaction.id, exc)


def _no_voice_warnings() -> None:
    """factbot never joins a voice channel: discord.py's warnings about voice libraries
    (PyNaCl, davey) at every start would only worry the person reading the log."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


class FactBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        service: FactService,
        querylog: QueryLog | None,
        *,
        auto_sync: bool = True,
        **client_options: Any,  # shard_count, shard_ids: see bot/discord_app/shards.py
    ) -> None:
        _no_voice_warnings()
        super().__init__(
            command_prefix=_prefixes,
            intents=make_intents(),
            case_insensitive=True,
            strip_after_prefix=True,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=FactHelpCommand(),
            tree_cls=FactTree,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            **client_options,
        )
        self.settings = settings
        self.service = service
        self.querylog = querylog
        self.router = CommandRouter(service, settings.prefix)
        # every query from every surface goes through it; the query log is awaited by the adapter
        self.pipeline = Pipeline(self.router)
        self.replies = RecentReplies()  # recent question -> answer, for edits and deletes
        # per-server prefix, channels and visibility; from the database once setup_hook opens it
        self.server_settings = ServerSettings.in_memory()
        self.auto_sync = auto_sync
        self.metrics = QueryMetrics()  # counted in record_query; served by bot.discord_app.ops
        # The latest exceptions a command, interaction or query handler raised, for tests
        # and health checks (bounded: a bot that runs for months must not grow); the user
        # saw an apology, the log has the traceback.
        self.handler_errors: deque[BaseException] = deque(maxlen=HANDLER_ERRORS_KEPT)
        self._reload_lock = asyncio.Lock()
        # Handler tasks (messages, interactions) running now, for an orderly shutdown.
        self._in_flight: set[asyncio.Task[Any]] = set()
        self.accepting = True
        self.slash_first = False  # set when Discord has not enabled the Message Content intent
        # set by the runner when the query log is on PostgreSQL (reload reaches every process)
        self.reload_broadcast: ReloadBroadcast | None = None
        # this process's shards, written to the query log's database for `!stats` everywhere
        self.heartbeat = (
            ShardHeartbeat(querylog, self.connected_shards, settings.heartbeat_seconds) if querylog else None
        )
        self.cooldown = UserCooldown(settings.cooldown_rate, settings.cooldown_per)
        self.add_check(self._within_cooldown)
        _clean_user_text_at_the_edge(self)
        retry_service_unavailable(self.http)

    # -- start-up -------------------------------------------------------------------

    async def setup_hook(self) -> None:
        app = self.application or await self.application_info()
        self.owner_ids = owner_ids_of(app)
        if self.intents.message_content and not message_content_granted(app):
            self._slash_first()
        if self.querylog is not None:  # QueryLog.open migrated the file: the table is there
            self.server_settings = await ServerSettings.open(self.querylog.path)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.heartbeat is not None:
            self.heartbeat.start()
        self.add_dynamic_items(SuggestionButton)
        await self.tree.set_translator(FactTranslator())  # zh-CN names and descriptions, sent at sync
        if self.auto_sync:
            try:
                await sync_if_changed(self.tree, self.settings.data_dir, self.settings.dev_guild)
            except discord.HTTPException as exc:
                log.warning("slash command sync failed (%s); the bot runs on, try /sync or `factbot sync`", exc)

    def _slash_first(self) -> None:
        """Connect without the Message Content intent rather than be refused (close 4014).

        Discord's application flags say whether the intent is enabled; a bot that asks
        for it anyway is disconnected. Without it, guild messages arrive empty except
        those that mention the bot, so prefix commands in server channels are off while
        slash commands, the message menu, mentions and DMs keep working. discord.py reads
        the intents from its connection state when it IDENTIFYs, after this hook.
        """
        log.warning(SLASH_FIRST)
        self._connection._intents.message_content = False
        self.slash_first = True

    async def on_ready(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.poke()  # connected: say so now, not at the end of the interval
        user = self.user
        log.info("connected as %s (id %s) in %d server(s)", user, user.id if user else "?", len(self.guilds))

    # -- in-flight work and an orderly shutdown -----------------------------------------

    def take_work(self) -> bool:
        """Called at the start of each message or interaction handler: False once draining
        (the event is ignored), else the handling task is counted until it ends."""
        if not self.accepting:
            return False
        task = asyncio.current_task()
        if task is not None and task not in self._in_flight:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return True

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    async def drain(self, timeout: float) -> int:
        """Stop taking new work and wait (at most `timeout`) for what is in flight.

        Returns how many handlers were still running at the bound; they are cancelled,
        and a reply cancelled mid-send is recorded as not delivered.
        """
        self.accepting = False
        pending = {t for t in self._in_flight if t is not asyncio.current_task()}
        if pending:
            log.info("finishing %d query handler(s) in flight (at most %.0f s)", len(pending), timeout)
            _, pending = await asyncio.wait(pending, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("%d handler(s) still running after %.0f s were cancelled", len(pending), timeout)
            await asyncio.wait(pending, timeout=1.0)
        return len(pending)

    async def on_message(self, message: discord.Message, /) -> None:
        if message.guild is not None and not self.server_settings.get(message.guild.id).answers_in(message.channel.id):
            return  # the server keeps the bot to other channels
        if self.take_work():
            await self.process_commands(message)

    async def close(self) -> None:
        if self.heartbeat is not None:
            await self.heartbeat.close()
        await super().close()
        await self.server_settings.close()

    # -- the gateway ----------------------------------------------------------------------

    @property
    def gateway_open(self) -> bool:
        """The gateway socket is open. Not `is_ready()`: READY waits for every guild's data
        (seconds on a big bot) while the bot already receives and answers messages."""
        ws = self.ws
        return not self.is_closed() and ws is not None and ws.open

    def connected_shards(self) -> list[tuple[int, int, float, int]]:
        """(shard id, shard count, gateway latency in s, servers) of each shard of this process
        whose connection is open. Unsharded, the bot is shard 0 of 1 (ShardedFactBot overrides)."""
        return [(0, 1, self.latency, len(self.guilds))] if self.gateway_open else []

    async def answer_suggestion(self, interaction: discord.Interaction[Any], query: str) -> None:
        """A suggestion button was clicked: run its query as a question."""
        # buttons do not pass the command tree's check: in-flight and cooldown here too
        if not self.take_work():
            return
        refusal = await self.over_cooldown(interaction.user)
        if refusal is not None:
            await interaction.response.send_message(str(refusal), ephemeral=True)
            return
        await answer_interaction(self, interaction, Origin.of_interaction(interaction, "button").question(query))

    # -- per-server settings ---------------------------------------------------------------

    def prefix_for(self, guild: discord.abc.Snowflake | None) -> str:
        return self.server_settings.get(guild.id if guild else None).prefix or self.settings.prefix

    def elsewhere(self, config: ServerConfig) -> str:
        channels = ", ".join(f"<#{c}>" for c in sorted(config.channels))
        return f"In this server I answer in {channels}."

    def ephemeral_for(self, interaction: discord.Interaction[Any], only_me: bool | None) -> bool:
        """The asker's choice, else the server's default (off in DMs, where nobody else reads)."""
        if only_me is not None:
            return only_me
        return self.server_settings.get(interaction.guild_id).ephemeral

    # -- routing text to the question handler ------------------------------------------

    async def get_context(
        self, origin: discord.Message | discord.Interaction[Any], /, *, cls: type[Any] = FactContext
    ) -> Any:
        ctx = await super().get_context(origin, cls=cls)
        if not isinstance(origin, discord.Message) or not isinstance(ctx, FactContext) or ctx.command is not None:
            return ctx
        if origin.author.bot:
            return ctx
        content = origin.content
        if ctx.prefix is not None:
            rest = content[len(ctx.prefix) :].strip()
            word = ctx.invoked_with or ""
            mentioned = ctx.prefix not in (self.settings.prefix, self.prefix_for(origin.guild), "")
            if rest and (origin.guild is None or mentioned or self.router.is_command_name(word)):
                # the router reads "!word rest" as the console does; a mention is a plain question
                ctx.routed_line = rest if mentioned else self.settings.prefix + rest
                ctx.command = self.get_command("fact")
            elif not rest and origin.guild is None and content.strip():
                # a DM of just "!" (or a mention alone) deserves an answer: how to ask
                ctx.routed_line = content.strip()
                ctx.command = self.get_command("fact")
        elif origin.guild is None and content.strip():
            ctx.routed_line = content.strip()
            ctx.command = self.get_command("fact")
        return ctx

    # -- access ---------------------------------------------------------------------------

    async def is_admin(self, user: discord.abc.User) -> bool:
        """The application's owners and team members, and FACTBOT_ADMIN_IDS."""
        return user.id in self.settings.admin_ids or await self.is_owner(user)

    async def over_cooldown(self, user: discord.abc.User) -> RateLimited | None:
        """Count one query of `user` (admins are exempt); the refusal when over the limit."""
        if not self.cooldown.enabled or await self.is_admin(user):
            return None
        return self.cooldown.hit(user.id)

    async def _within_cooldown(self, ctx: commands.Context[Any]) -> bool:
        refusal = await self.over_cooldown(ctx.author)
        if refusal is not None:
            raise refusal
        return True

    def user_ref(self, user: discord.abc.Snowflake) -> str:
        """A user as log lines name them: the query log's keyed hash, never the raw id."""
        if self.querylog is None:
            return "a user"
        return self.querylog.user_ref(user.id)

    # -- errors ---------------------------------------------------------------------------

    def note_handler_error(self, exc: BaseException, where: str) -> None:
        self.handler_errors.append(exc)
        log.error("error in %s", where, exc_info=exc)

    async def on_command_error(self, context: commands.Context[Any], exception: commands.CommandError, /) -> None:
        ctx = context
        if not isinstance(ctx, FactContext) or isinstance(exception, commands.CommandNotFound):
            return
        if isinstance(exception, commands.HybridCommandError) and isinstance(
            exception.original, app_commands.CheckFailure
        ):
            await self._notify(ctx, str(exception.original))
            return
        if isinstance(exception, RateLimited):
            if exception.notify:  # one notice per cooldown window, then silence
                await self._notify(ctx, str(exception))
            return
        if isinstance(exception, NotAdmin):
            where = "/" if ctx.interaction is not None else self.settings.prefix
            log.warning("refused %s%s for %s in channel %s", where, ctx.command,
                        self.user_ref(ctx.author), ctx.channel.id)  # fmt: skip
            await self._notify(ctx, str(exception))
            return
        if isinstance(exception, commands.UserInputError):
            command = ctx.command
            if command is None:
                await self._notify(ctx, str(exception))
                return
            usage = command.usage if command.usage is not None else command.signature
            await self._notify(ctx, f"Usage: {self.settings.prefix}{command} {usage}".rstrip())
            return
        if isinstance(exception, commands.CheckFailure):
            await self._notify(ctx, str(exception))
            return
        original = exception.original if isinstance(exception, commands.CommandInvokeError) else exception
        self.note_handler_error(original, f"{self.settings.prefix}{ctx.command}")
        try:
            await ctx.safe_send(render_apology(plain=ctx.plain), ephemeral=True)
        except discord.HTTPException:
            log.warning("could not send the apology for %s%s", self.settings.prefix, ctx.command)

    async def _notify(self, ctx: FactContext, text: str) -> None:
        try:  # ephemeral when a hybrid command runs as a slash command: a refusal concerns one person
            await ctx.safe_send(render_notice(escape_text(text), plain=ctx.plain), ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("could not answer in channel %s: %s", ctx.channel.id, exc)

    # -- operations shared by commands and signals ---------------------------------------

    async def reload_store(self, trigger: str, *, force: bool = False, broadcast: bool = True) -> ReloadResult:
        """Load and check the whole store off the event loop; swap only if clean.

        Never raises: whatever goes wrong, the old store keeps serving and the result
        says why (the admin sees it, SIGHUP logs it). With `reload_broadcast` set (the
        query log on PostgreSQL) and `broadcast`, every other process reloads too and
        the result lists theirs (bot/discord_app/broadcast.py).
        """
        result = await self._reload_here(trigger, force=force)
        if broadcast and self.reload_broadcast is not None:
            result = dataclasses.replace(result, peers=await self.reload_broadcast.ask_others(trigger, force))
        return result

    async def _reload_here(self, trigger: str, *, force: bool) -> ReloadResult:
        async with self._reload_lock:
            try:
                result = await asyncio.to_thread(self.service.reload, force=force)
            except Exception as exc:
                self.note_handler_error(exc, f"reload ({trigger})")
                problem = Problem(str(self.service.paths.facts_dir), 0, f"reload failed: {type(exc).__name__}: {exc}")
                result = ReloadResult(ok=False, problems=(problem,))
        if result.ok:
            log.info("%s (%s)", result.summary(), trigger)
        else:
            log.warning("%s (%s)", result.summary(), trigger)
        return result

    async def sync_now(self, guild_id: int | None = None) -> SyncResult:
        result = await sync_commands(self.tree, self.settings.data_dir, guild_id or self.settings.dev_guild)
        log.info("%s", result.summary())
        return result


def _clean_user_text_at_the_edge(bot: FactBot) -> None:
    """Make user text valid before discord.py builds a Message or an Interaction from it.

    Discord's JSON can carry a lone surrogate (`"\\ud83d"`); json.loads keeps it, and the
    first thing that encodes it as UTF-8 (SQLite, a reply) raises. Cleaning the event's
    payload here covers every path at once: prefix commands, DMs, slash options,
    autocomplete, buttons. discord.py has no public hook before parsing, so this wraps
    its parser table (pinned to discord.py 2.7 in pyproject.toml).
    """
    parsers: dict[str, Any] | None = getattr(getattr(bot, "_connection", None), "parsers", None)
    if parsers is None:
        log.warning("discord.py has no parser table: user text is not cleaned before parsing")
        return
    for event in USER_TEXT_EVENTS:
        parse = parsers.get(event)
        if parse is not None:
            parsers[event] = _cleaning(parse)


def _cleaning(parse: Any) -> Any:
    def parse_clean(data: Any) -> None:
        parse(clean_payload(data))

    return parse_clean


