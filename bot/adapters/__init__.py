"""The adapters: the command line, the console (the Discord adapter is `bot.discord_app`).

Each only translates: its input into a `bot.app.pipeline.Request`, the outcome
into its own output.
"""
