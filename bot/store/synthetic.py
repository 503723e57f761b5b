"""Synthetic fact stores of any size, written to disk in the real format.

Places x metrics x years, one document per place, so loading and checking a
synthetic store exercises the same code as the real one (YAML parsing, quote
checks, vocabulary references).
"""

from __future__ import annotations

import random
from pathlib import Path

METRIC_WORDS = (
    "trade", "exports", "imports", "gdp", "tourism", "revenue", "investment", "output", "capacity",
    "production", "income", "spending", "freight", "passengers", "housing", "employment", "patents",
    "energy", "water", "forestry", "mining", "retail", "logistics", "telecom", "banking",
)  # fmt: skip
YEARS = tuple(range(2014, 2024))


def metric_names(n: int) -> list[str]:
    names = []
    for i in range(n):
        a = METRIC_WORDS[i % len(METRIC_WORDS)]
        b = METRIC_WORDS[(i // len(METRIC_WORDS) + 3) % len(METRIC_WORDS)]
        names.append(f"{a} {b} index{i}")
    return names


def place_name(i: int) -> str:
    syllables = ("ka", "shi", "lo", "ran", "mu", "zen", "tor", "vi", "qa", "bel", "dun", "ha")
    rng = random.Random(i)
    return "".join(rng.choice(syllables) for _ in range(3)).capitalize() + str(i)


def write_store(root: Path, n_facts: int, n_metrics: int = 50) -> tuple[Path, list[str]]:
    """Write a store of `n_facts` under root/{facts,seeds}; return the facts dir and sample queries."""
    facts_dir, seeds_dir = root / "facts", root / "seeds"
    facts_dir.mkdir(parents=True, exist_ok=True)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    metrics = metric_names(n_metrics)
    per_place = n_metrics * len(YEARS)
    n_places = max(1, -(-n_facts // per_place))
    vocab = ["units:", "  yuan: {name: yuan}", "places:"]
    vocab += [f"  p{i}: {{name: {place_name(i)}, kind: city}}" for i in range(n_places)]
    vocab.append("metrics:")
    vocab += [f"  m{j}: {{name: {name}, aliases: [{name.split()[0]} {j}]}}" for j, name in enumerate(metrics)]
    (facts_dir / "vocabulary.yaml").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    sources = ["documents:"]
    queries: list[str] = []
    rng = random.Random(42)
    written = 0
    for i in range(n_places):
        doc = f"doc{i:06d}.txt"
        sources.append(f"  - {{file: {doc}, title: Synthetic {i}, publisher: bench, date: '2024'}}")
        sentences, entries = [], [f"doc: {doc}", "facts:"]
        name = place_name(i)
        for j, metric in enumerate(metrics):
            for year in YEARS:
                if written >= n_facts:
                    break
                value = rng.randint(1, 99_999) / 100
                quote = f"In {year}, the {metric} of {name} reached {value} billion yuan."
                sentences.append(quote)
                entries.append(
                    f"  - {{id: p{i}.m{j}.{year}, place: p{i}, metric: m{j}, period: '{year}', "
                    f"value: {value * 1e9:.0f}, unit: yuan, figure: {value} billion yuan, quote: '{quote}'}}"
                )
                written += 1
                if rng.random() < 0.002 or len(queries) < 50:
                    queries.append(f"{metric} {name} {year}")
        (seeds_dir / doc).write_text(" ".join(sentences) + "\n", encoding="utf-8")
        (facts_dir / f"{doc[:-4]}.yaml").write_text("\n".join(entries) + "\n", encoding="utf-8")
    (seeds_dir / "sources.yaml").write_text("\n".join(sources) + "\n", encoding="utf-8")
    rng.shuffle(queries)
    return facts_dir, queries[:500]
