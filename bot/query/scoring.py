"""One scoring model: the features of a candidate reading, one score, one decision.

A candidate is a reading of the question (a place and a metric) paired with the
facts the store has for it. Its features are named and measured once; `score()`
combines them with the weights below, and `decide()` turns the scores of the
candidates into a status with a threshold and a margin. The product's rules
(another period or place is never the answer; a partial figure answers a year
only when it is alone) are not scored: they are hard filters, applied by the
period selection and by the engine's hold-back rules (a derived request, an
unread period word or qualifier, an unknown name), which reach `decide()` as a
candidate's `blockers`.

The weights and thresholds live here and nowhere else; they were chosen on the
dev split (`python -m tests.eval.evaluate`), never on the holdout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# -- weights and thresholds (chosen on the dev split) ---------------------------
ALIAS_WEIGHT = 1.0  # exponent: how much a half-matched alias costs
EXPLAINED_WEIGHT = 1.0  # exponent: how much an unexplained metric word costs
RANK_WEIGHT = 4.0  # exponent: a reading clearly weaker than the best one is no answer
KIND_MISMATCH = 0.45  # "how many" answered with an amount, or "how much" with a count
EVIDENCE_CREDIT = 0.5  # how much of an unexplained word the fact's own quote can account for
ANSWER_THRESHOLD = 0.5  # below this the reading is a guess: nearest, not answered
TIE_MARGIN = 0.9  # a rival scoring within this ratio of the best makes the question ambiguous


@dataclass(frozen=True)
class Features:
    place: float  # place similarity: 1.0 as written, less for a misspelling
    alias: float  # share of the metric's best alias the question matched
    explained: float  # share of the question's metric words this reading explains
    evidence: float  # share of the words the reading leaves unexplained that the fact's quote contains
    rank: float  # this reading's strength over the best reading's (1.0: it is the best)
    heads: bool  # honours "share", "growth", "rank", "per capita" in the question
    conflict: bool  # leaves unread a word that by itself names another metric ("GDP")
    kind: bool = True  # the fact is of the kind asked ("how many": a count)

    def as_row(self) -> str:
        return (
            f"place {self.place:4.2f}  alias {self.alias:4.2f}  explained {self.explained:4.2f}  "
            f"evidence {self.evidence:4.2f}  rank {self.rank:4.2f}  heads {'yes' if self.heads else 'NO'}  "
            f"conflict {'YES' if self.conflict else 'no'}  kind {'yes' if self.kind else 'NO'}"
        )


def score(f: Features) -> float:
    """How well a reading fits the question, in [0, 1]."""
    if not f.heads or f.conflict:
        return 0.0  # a question about a share gets a share, or nothing
    explained = f.explained + EVIDENCE_CREDIT * f.evidence * (1.0 - f.explained)
    value: float = f.place * (1.0 if f.kind else KIND_MISMATCH)
    value *= min(1.0, f.alias) ** ALIAS_WEIGHT
    value *= min(1.0, explained) ** EXPLAINED_WEIGHT
    value *= min(1.0, f.rank) ** RANK_WEIGHT
    return value


class Verdict(StrEnum):
    ANSWER = "answer"  # strong, clearly ahead, nothing blocks it
    AMBIGUOUS = "ambiguous"  # two readings the store has score about the same
    WEAK = "weak"  # the best reading is a guess: offered as nearest
    BLOCKED = "blocked"  # a hard rule holds the figure back: offered as nearest, with the reason


@dataclass(frozen=True)
class Candidate:
    metric: str
    features: Features
    score: float
    blockers: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    best: Candidate
    rivals: tuple[Candidate, ...] = ()
    reason: str = ""


def decide(candidates: Sequence[Candidate]) -> Decision:
    """The best candidate answers when strong, clearly ahead and unblocked."""
    ranked = sorted(candidates, key=lambda c: -c.score)
    best = ranked[0]
    rivals = tuple(c for c in ranked[1:] if c.score > 0 and c.score >= best.score * TIE_MARGIN)
    if best.blockers:
        return Decision(Verdict.BLOCKED, best, rivals, best.blockers[0])
    if best.score < ANSWER_THRESHOLD:
        return Decision(Verdict.WEAK, best, rivals, f"score {best.score:.2f} is under {ANSWER_THRESHOLD}")
    if rivals:
        return Decision(Verdict.AMBIGUOUS, best, rivals, f"{len(rivals)} reading(s) within {TIE_MARGIN:.0%}")
    return Decision(Verdict.ANSWER, best, (), f"score {best.score:.2f}, clear of every rival")
