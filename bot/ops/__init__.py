"""Operating factbot: health checks, backups, metrics and the files it creates.

Infrastructure for the people who run the bot; no discord.py in here. The
Discord adapter feeds the live parts (gateway, store, log) through
`bot.discord_app.ops`.
"""
