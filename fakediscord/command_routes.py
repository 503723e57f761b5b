"""Application commands: bulk overwrite, list, create, edit, delete.

Commands are stored per scope (global, or one guild) keyed by (name, type);
a command keeps its id across overwrites, as on Discord, so a test can
compare ids before and after a re-sync. ``FakeDiscord`` reads the stored
definitions to shape interactions (option types, guild scope).
"""

from __future__ import annotations

from .http_utils import Reply, no_content, not_found, ok
from .payloads import stored_command
from .records import Json
from .rest import Call, Route
from .validation import command_problems, form_error
from .world import World

UNKNOWN_COMMAND = 10063


class CommandRoutes:
    def __init__(self, world: World) -> None:
        self._world = world

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for scope in (r"/applications/(?P<app>\d+)", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)"):
            routes += [
                ("GET", scope + "/commands", self.list_commands, True),
                ("PUT", scope + "/commands", self.overwrite, True),
                ("POST", scope + "/commands", self.create, True),
                ("GET", scope + r"/commands/(?P<cmd>\d+)", self.get, True),
                ("PATCH", scope + r"/commands/(?P<cmd>\d+)", self.edit, True),
                ("DELETE", scope + r"/commands/(?P<cmd>\d+)", self.delete, True),
            ]
        return routes

    def _scope(self, call: Call) -> tuple[int | None, dict[tuple[str, int], Json]] | None:
        if int(call.params["app"]) != self._world.config.application_id:
            return None
        guild_id = int(call.params["gid"]) if call.params.get("gid") else None
        if guild_id is not None and guild_id not in self._world.guilds:
            return None
        return guild_id, self._world.commands.setdefault(guild_id, {})

    def _store(self, guild_id: int | None, existing: dict[tuple[str, int], Json], command: Json) -> Json:
        key = (str(command.get("name")), int(command.get("type") or 1))
        previous = existing.get(key)
        command_id = int(previous["id"]) if previous else self._world.ids.next()
        return stored_command(
            command,
            command_id=command_id,
            application_id=self._world.config.application_id,
            guild_id=guild_id,
            version=self._world.ids.next(),
        )

    async def list_commands(self, call: Call) -> Reply:
        scope = self._scope(call)
        if scope is None:
            return not_found("Unknown Application", 10002)
        return ok(list(scope[1].values()))

    async def overwrite(self, call: Call) -> Reply:
        scope = self._scope(call)
        if scope is None:
            return not_found("Unknown Application", 10002)
        guild_id, existing = scope
        commands = call.json if isinstance(call.json, list) else []
        problems = command_problems(commands)
        if problems:
            return Reply(400, form_error(problems))
        stored = [self._store(guild_id, existing, command) for command in commands]
        existing.clear()
        existing.update({(c["name"], int(c["type"])): c for c in stored})
        self._world.changes.notify()
        return ok(stored)

    async def create(self, call: Call) -> Reply:
        scope = self._scope(call)
        if scope is None:
            return not_found("Unknown Application", 10002)
        guild_id, existing = scope
        problems = command_problems([call.body])
        if problems:
            return Reply(400, form_error(problems))
        command = self._store(guild_id, existing, call.body)
        existing[(command["name"], int(command["type"]))] = command
        self._world.changes.notify()
        return ok(command)

    def _find(self, call: Call) -> tuple[dict[tuple[str, int], Json], tuple[str, int]] | None:
        scope = self._scope(call)
        if scope is None:
            return None
        for key, command in scope[1].items():
            if int(command["id"]) == call.id("cmd"):
                return scope[1], key
        return None

    async def get(self, call: Call) -> Reply:
        found = self._find(call)
        return ok(found[0][found[1]]) if found else not_found("Unknown application command", UNKNOWN_COMMAND)

    async def edit(self, call: Call) -> Reply:
        found = self._find(call)
        if found is None:
            return not_found("Unknown application command", UNKNOWN_COMMAND)
        commands, key = found
        command = {**commands.pop(key), **call.body}
        commands[(command["name"], int(command.get("type") or 1))] = command
        return ok(command)

    async def delete(self, call: Call) -> Reply:
        found = self._find(call)
        if found is None:
            return not_found("Unknown application command", UNKNOWN_COMMAND)
        del found[0][found[1]]
        return no_content()
