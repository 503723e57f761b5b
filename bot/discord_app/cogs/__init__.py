"""One cog per concern: facts (questions), sources, meta (help), admin (reload, sync, stats)."""
