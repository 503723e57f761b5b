"""The Discord adapter: prefix commands, slash commands, DMs and buttons over the core.

Nothing here decides what a query means: every query goes through the request
pipeline (`bot.app.pipeline`), as the console's and the command line's do. This
package turns Discord input into a `Request`, logs the row, and turns the reply
into an embed or plain text that Discord accepts.

Modules, one job each:

    runner.py        `run_bot(settings)`: endpoints, logging, signals, start-up errors
    client.py        `FactBot`: intents, prefixes, error hooks; factory.py `create_bot(...)`
    context.py       `FactContext.safe_send` and `respond()` for interactions
    queries.py       one query: pipeline, query-log row, then the rendered reply
    params.py        place, metric, period (and flags): transformer + converter with autocomplete
    followup.py      edits and deletes of a question follow to its answer (bounded map)
    server_settings.py  per-server prefix, channels and visibility (`/settings`), cached
    i18n.py          zh-CN: the command Translator and the frame of a reply
    render.py        `Reply` -> embed or plain text
    safety.py        escaping user text and Discord's length limits
    views.py         suggestion buttons (persistent: they work after a restart)
    autocomplete.py  choices for places, metrics, periods and documents (no discord.py)
    choices.py       answering an autocomplete interaction with them
    access.py        who counts as an admin; the checks and their errors
    sync.py          slash-command sync and the command-tree hash
    helptext.py      help generated from the registered commands
    cli.py           `factbot sync`
    cogs/            facts (questions, the message menu), analysis (compare, series), sources,
                     meta (help), admin (reload, sync, stats: hybrid), settings

The package imports no discord.py at import time (`bot.adapters.cli` imports `cli.py`
for every command, and the console needs no discord.py).
"""
