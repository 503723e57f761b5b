"""The lexicon is data: a curator changes how questions read without touching Python."""

from __future__ import annotations

from pathlib import Path

from bot.answer import Status
from bot.query.engine import Engine
from bot.query.lexicon import LEXICON_FILE, load_lexicon
from bot.store import collect
from tests.helpers import FACTS_DIR, copy_store


def test_the_committed_lexicon_loads_every_section() -> None:
    lexicon = load_lexicon(FACTS_DIR / LEXICON_FILE)
    assert {"on", "of", "the"} <= lexicon.stop_words  # YAML's "on" stays a word, not a boolean
    assert lexicon.fold_token("growth") == "grow"
    assert lexicon.operator("xinjiang trade 2022 and 2023 combined") == ("sum", "combined")
    assert lexicon.phonetic_key("shinjiang") == "xinjiang"
    assert any(term == "进出口" for term, _ in lexicon.chinese)


def test_a_synonym_added_to_the_lexicon_is_read_after_a_reload(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    store, problems = collect(paths)
    assert store is not None and not problems
    assert Engine(store).ask("xinjiang barter 2023").status is not Status.ANSWERED
    lexicon = paths.facts_dir / LEXICON_FILE
    text = lexicon.read_text(encoding="utf-8").replace(
        "\nphrases:\n", "\nphrases:\n  '\\bbarter\\b': ' foreign trade '\n", 1
    )
    lexicon.write_text(text, encoding="utf-8")
    store, problems = collect(paths)
    assert store is not None and not problems
    answer = Engine(store).ask("xinjiang barter 2023")
    assert answer.status is Status.ANSWERED and answer.fact is not None
    assert answer.fact.fact.figure == "357.33 billion yuan"


def test_a_broken_lexicon_is_refused_with_its_file_name(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    lexicon = paths.facts_dir / LEXICON_FILE
    text = lexicon.read_text(encoding="utf-8").replace("\nphrases:\n", "\nphrases:\n  '(unclosed': ' x '\n", 1)
    lexicon.write_text(text, encoding="utf-8")
    store, problems = collect(paths)
    assert store is None
    assert any(LEXICON_FILE in str(p) and "not a valid regular expression" in str(p) for p in problems)
