"""Infrastructure: where the store and the data live, text made valid at the edge.

(`bot.config`, the query log `bot.querylog` and the operators' tools `bot.ops` are
infrastructure too; `bot.config` stays at the top because `tests/eval` imports it.)
"""
