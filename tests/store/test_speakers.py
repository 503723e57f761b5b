"""Names the documents give as speakers: a store summary the engine reads at start."""

from __future__ import annotations

from bot.store.snapshot import speaker_names_of
from tests.helpers import real_engine

CUES = frozenset({"said", "chairman"})


def test_names_beside_a_cue_are_speakers() -> None:
    text = "Trade grew fast, said Erkin Tuniyaz, chairman of Xinjiang. Growth was 9.5 percent."
    assert {"erkin", "tuniyaz", "xinjiang"} <= speaker_names_of([text], CUES)


def test_the_first_word_of_a_sentence_is_no_name() -> None:
    text = "The region grew. Officials said so. Growth said little."
    names = speaker_names_of([text], CUES)
    assert "officials" not in names and "growth" not in names


def test_no_cues_no_names() -> None:
    assert speaker_names_of(["said Erkin Tuniyaz"], frozenset()) == frozenset()


def test_the_committed_store_knows_its_speakers() -> None:
    names = real_engine().store.speaker_names
    assert {"erkin", "tuniyaz", "jinhai"} <= names
