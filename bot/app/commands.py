"""The text commands every adapter shares: `!trade xizang 2023`, `!fact ...`,
`!sources`, `!source <doc>`, `!help`.

The console uses this router directly; the Discord bot registers the same
specs as discord.py commands. Any metric alias works as a command name
(`!tourism tibet 2023`, `!gdp xinjiang 2024`): the name becomes part of the
query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.answer import Answer, source_text
from bot.query.text import fold, words
from bot.service import FactService
from bot.store.snapshot import Store


@dataclass(frozen=True)
class CommandSpec:
    """A command as help lists it (here and in Discord's generated help)."""

    name: str
    usage: str
    help: str
    aliases: tuple[str, ...] = ()
    admin: bool = False


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("trade", "trade <place> [period]", "Foreign trade of a place, e.g. trade xizang 2023"),
    CommandSpec("fact", "fact <question>", "Ask any question, e.g. fact GDP of Xizang in 2023", ("ask",)),
    CommandSpec(
        "compare",
        "compare <metric> <place> <place> [period]",
        "Two places side by side, e.g. compare trade xizang xinjiang 2023",
    ),
    CommandSpec("series", "series <metric> <place>", "A figure over time, e.g. series trade xinjiang"),
    CommandSpec("sources", "sources", "List the source documents"),
    CommandSpec("source", "source <document>", "Show one document: title, date, and the facts citing it"),
    CommandSpec("help", "help", "This list of commands"),
)
METRIC_COMMAND_HELP = (
    "Any figure works as a command: tourism tibet 2023, gdp xinjiang 2024, power xizang, "
    "cement xizang 2023 ..."
)


@dataclass(frozen=True)
class TextReply:
    """A reply that is not an answer to a figure question (help, sources, errors)."""

    text: str
    error: bool = False


Reply = Answer | TextReply


ADMIN_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "reload", "reload [force]", "Reload the fact store; on any error the old store keeps serving", admin=True
    ),
    CommandSpec("stats", "stats [days]", "Query log report for the last N days (default 7)", admin=True),
)


def help_text(prefix: str, specs: tuple[CommandSpec, ...] = COMMANDS) -> str:
    lines = ["Commands:"]
    for spec in specs:
        also = f" (also {', '.join(prefix + a for a in spec.aliases)})" if spec.aliases else ""
        lines.append(f"  {prefix}{spec.usage} - {spec.help}{also}")
    lines.append(f"  {METRIC_COMMAND_HELP}")
    lines.append("  Or just ask: How much did Xinjiang trade with Belt and Road countries in H1 2023?")
    return "\n".join(lines)


def doc_number(store: Store, name: str) -> int:
    """A document's number as its file name gives it (`000_...` is 0); else its place in the list."""
    head = name.split("_", 1)[0]
    return int(head) if head.isdigit() else list(store.sources).index(name) + 1


def sources_text(store: Store, prefix: str = "!") -> str:
    lines = ["Source documents:"]
    for name, source in store.sources.items():
        count = store.doc_counts.get(source.file, 0)
        lines.append(f"  {doc_number(store, name)}. {source_text(source)} - {count} facts [{source.file}]")
    if store.sources:
        first = doc_number(store, next(iter(store.sources)))
        lines.append(f"Show one with {prefix}source <number>, e.g. {prefix}source {first}")
    return "\n".join(lines)


def find_source(store: Store, ref: str) -> str | None:
    """A document by its number (as listed: the file name's), file name, file prefix or title words."""
    ref = ref.strip()
    files = list(store.sources)
    if ref.isdigit():
        return next((name for name in files if doc_number(store, name) == int(ref)), None)
    for name in files:
        if name == ref or name.startswith(ref):
            return name
    wanted = set(words(ref))
    scored = [(len(wanted & set(words(store.sources[f].title))), f) for f in files]
    best = max(scored, default=(0, ""))
    return best[1] if best[0] > 0 else None


def source_detail(store: Store, ref: str, prefix: str = "!") -> TextReply:
    name = find_source(store, ref)
    if name is None:
        return TextReply(f"No document matches '{ref}'. Try {prefix}sources for the list.", error=True)
    source = store.sources[name]
    facts = store.by_doc.get(name, ())
    lines = [source_text(source), f"Document {doc_number(store, name)}, file: {name}"]
    if source.date_note:
        lines.append(f"Date: {source.date_note}")
    lines.append(f"{len(facts)} facts cite it:")
    for fact in facts:
        lines.append(f"  - {fact.id}: {fact.figure} ({fact.period.label()})")
    return TextReply("\n".join(lines))


class AdminOps(Protocol):
    """What the machine's owner may do from the console: `!reload [force]`, `!stats [days]`."""

    def reload(self, *, force: bool) -> str: ...

    def stats(self, days: int) -> str: ...


class CommandRouter:
    def __init__(self, service: FactService, prefix: str = "!", admin: AdminOps | None = None) -> None:
        self.service = service
        self.prefix = prefix
        self.admin = admin  # the console's owner; Discord has its own admin cog

    def ask(self, question: str) -> Answer:
        return self.service.engine.ask(question)

    def _admin(self, name: str, args: str) -> TextReply | None:
        """`reload [force]` and `stats [days]` where this router has admin operations."""
        admin = self.admin
        if admin is None or name not in ("reload", "stats"):
            return None
        option = args.strip().lower()
        if name == "reload":
            if option not in ("", "force"):
                return TextReply(f"Usage: {self.prefix}reload [force]", error=True)
            return TextReply(admin.reload(force=option == "force"))
        if option and not (option.isdigit() and 1 <= int(option) <= 3650):
            return TextReply(f"Usage: {self.prefix}stats [days], days 1 to 3650", error=True)
        return TextReply(admin.stats(int(option) if option else 7))

    def _analysis(self, name: str, args: str) -> TextReply:
        """Comparisons and series as text (the chart is for Discord and `factbot series --png`)."""
        from bot.analysis import AnalysisError, compare_text, comparison_text, series_text, series_text_request

        usage = next(s.usage for s in COMMANDS if s.name == name)
        if not args:
            return TextReply(f"Usage: {self.prefix}{usage}", error=True)
        engine = self.service.engine
        try:
            if name == "compare":
                return TextReply(comparison_text(compare_text(engine, args)))
            return TextReply(series_text(series_text_request(engine, args)))
        except AnalysisError as exc:
            return TextReply(str(exc), error=True)

    def is_command_name(self, name: str) -> bool:
        """Known command or a metric word ("tourism", "gdp") that makes sense as a query start."""
        folded = fold(name)
        if any(folded == s.name or folded in s.aliases for s in COMMANDS):
            return True
        if self.admin is not None and folded in ("reload", "stats"):
            return True
        index = self.service.engine.index
        return folded in index.token_weight or bool(index.match_metric_token(folded))

    def run(self, name: str, args: str) -> Reply:
        name = fold(name)
        args = args.strip()
        store = self.service.store
        if name == "help":
            return TextReply(help_text(self.prefix, COMMANDS + (ADMIN_COMMANDS if self.admin else ())))
        if name == "sources":
            return TextReply(sources_text(store, self.prefix))
        if name == "source":
            if not args:
                return TextReply(f"Usage: {self.prefix}source <document number or name>", error=True)
            return source_detail(store, args, self.prefix)
        admin = self._admin(name, args)
        if admin is not None:
            return admin
        if name in ("compare", "series"):
            return self._analysis(name, args)
        if name in ("fact", "ask"):
            if not args:
                return TextReply(f"Usage: {self.prefix}fact <question>", error=True)
            return self.service.engine.ask(args)
        if self.is_command_name(name):
            return self.service.engine.ask(f"{name} {args}".strip())
        return TextReply(
            f"Unknown command '{self.prefix}{name}'. Try {self.prefix}help, or just ask a question.", error=True
        )

    def handle(self, line: str) -> Reply | None:
        """A line typed in the console: a prefixed command or a plain question."""
        line = line.strip()
        if not line:
            return None
        if line.startswith(self.prefix):
            body = line[len(self.prefix) :].strip()
            name, _, args = body.partition(" ")
            if not name:
                return TextReply(f"Empty command. Try {self.prefix}help.", error=True)
            return self.run(name, args)
        return self.service.engine.ask(line)
