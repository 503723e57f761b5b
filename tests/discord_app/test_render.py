"""Rendering and safety without Discord: limits, escaping, the owner rule, the tree hash."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import discord
from discord import app_commands

from bot.answer import Status
from bot.discord_app.access import owner_ids_of
from bot.discord_app.render import render_answer
from bot.discord_app.safety import (
    CONTENT_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    Field,
    build_embed,
    clip,
    escape_user_text,
)
from bot.discord_app.sync import read_hash, tree_hash, write_hash
from tests.helpers import real_engine


def _embed_size(embed: discord.Embed) -> int:
    data = embed.to_dict()
    fields = data.get("fields", [])
    return (
        len(data.get("title", ""))
        + len(data.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len(data.get("footer", {}).get("text", ""))
    )


def test_clip_ends_with_an_ellipsis_and_respects_the_limit() -> None:
    assert clip("short", 10) == "short"
    cut = clip("x" * 5000, 2000)
    assert len(cut) == 2000 and cut.endswith("…")


def test_user_text_cannot_ping_or_restyle() -> None:
    escaped = escape_user_text("@everyone **bold** <@123456789012345678>\n# heading")
    assert "@everyone" not in escaped and "@\u200beveryone" in escaped
    assert "\\*\\*bold\\*\\*" in escaped
    assert "<@123456789012345678>" not in escaped
    assert "\n" not in escaped  # an echo is one line: no heading, no quote block


def test_embed_fits_every_limit_whatever_it_is_given() -> None:
    embed = build_embed(
        title="t" * 1000,
        description="d" * 9000,
        fields=[Field("n" * 400, "v" * 3000) for _ in range(40)],
        footer="f" * 3000,
    )
    data = embed.to_dict()
    assert len(data["title"]) <= 256
    assert len(data["description"]) <= 4096
    assert _embed_size(embed) <= EMBED_TOTAL_LIMIT
    fields = build_embed(title="t", fields=[Field("n" * 400, "v" * 3000) for _ in range(40)]).to_dict()["fields"]
    assert 1 <= len(fields) <= 25
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= FIELD_VALUE_LIMIT for f in fields)


def test_a_huge_question_still_renders_within_limits() -> None:
    query = "trade @everyone " * 300
    answer = real_engine().ask(query)
    assert answer.status is not Status.ANSWERED
    plain = render_answer(answer, asked=query, plain=True)
    assert plain.content is not None and len(plain.content) <= CONTENT_LIMIT
    assert "@everyone" not in plain.content
    rich = render_answer(answer, asked=query, plain=False)
    assert rich.embed is not None and _embed_size(rich.embed) <= EMBED_TOTAL_LIMIT


def _member(uid: int, state: discord.TeamMembershipState, role: str) -> SimpleNamespace:
    return SimpleNamespace(id=uid, membership_state=state, role=role)


def test_owners_are_the_owner_and_every_accepted_team_member_whatever_their_role() -> None:
    accepted, invited = discord.TeamMembershipState.accepted, discord.TeamMembershipState.invited
    team = SimpleNamespace(
        owner_id=1,
        members=[_member(1, accepted, "admin"), _member(2, accepted, "read_only"), _member(3, invited, "developer")],
    )
    app = SimpleNamespace(owner=SimpleNamespace(id=99), team=team)
    assert owner_ids_of(app) == {99, 1, 2}  # type: ignore[arg-type]
    solo = SimpleNamespace(owner=SimpleNamespace(id=7), team=None)
    assert owner_ids_of(solo) == {7}  # type: ignore[arg-type]


def _tree(*names: str) -> app_commands.CommandTree[discord.Client]:
    client = discord.Client(intents=discord.Intents.none())
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    for name in names:

        async def callback(interaction: discord.Interaction) -> None: ...

        tree.add_command(app_commands.Command(name=name, description=f"{name} things", callback=callback))
    return tree


def test_tree_hash_depends_on_the_commands_and_the_target_not_their_order(tmp_path: Path) -> None:
    a, b = _tree("one", "two"), _tree("two", "one")
    assert tree_hash(a, None) == tree_hash(b, None)
    assert tree_hash(a, None) != tree_hash(_tree("one"), None)
    assert tree_hash(a, None) != tree_hash(a, 1234)
    assert read_hash(tmp_path) is None
    write_hash(tmp_path / "new", tree_hash(a, None))
    assert read_hash(tmp_path / "new") == tree_hash(a, None)
