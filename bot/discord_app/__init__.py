"""The Discord adapter: prefix commands, slash commands, DMs and buttons over the core.

Nothing here decides what a query means: every reply comes from `bot.app.commands`
(the router the console uses) and `bot.answer.Answer`. This package turns
Discord input into a core call, logs the query, and turns the reply into an
embed or plain text that Discord accepts.

Modules, one job each:

    runner.py        `run_bot(settings)`: endpoints, logging, signals, start-up errors
    client.py        `FactBot` and `create_bot(...)`: intents, prefixes, error hooks
    context.py       `FactContext.safe_send` and `respond()` for interactions
    queries.py       one query: core call, query-log row, then the rendered reply
    render.py        `Reply` -> embed or plain text
    safety.py        escaping user text and Discord's length limits
    views.py         suggestion buttons (persistent: they work after a restart)
    autocomplete.py  choices for places, metrics, periods and documents (no discord.py)
    choices.py       answering an autocomplete interaction with them
    access.py        who counts as an admin; the checks and their errors
    sync.py          slash-command sync and the command-tree hash
    helptext.py      help generated from the registered commands
    cli.py           `factbot sync`
    cogs/            facts (questions), sources, meta (help), admin (reload, sync, stats)

The package imports no discord.py at import time (`bot.adapters.cli` imports `cli.py`
for every command, and the console needs no discord.py).
"""
