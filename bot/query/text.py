"""Text normalisation shared by the vocabulary index and the query parser.

Both sides go through the same functions, so an alias and a query that mean
the same thing produce the same tokens.
"""

from __future__ import annotations

import re
import unicodedata

# Words that carry no meaning for matching. Kept short on purpose: "with",
# "per", "share" and "rank" do carry meaning and stay.
STOP_WORDS = frozenset(
    """
    a an the of in on at for to by from as and or is are was were be been being do does did what
    whats how much many which who when where why tell me show give please about its it's it this
    that these those there their s has have had get got can could would should will i we you us our
    your my total number amount figure figures value level stat stats statistic statistics data all
    any some than then so also just only reach reached reaching amounted amount according during
    year years annual annually yearly overall same average with since hey hi hello bot please thanks into
    i mean like just yo check confirm verify draft say says said customs region regions ask rate rates
    """.split()
)

# Inflections and near-synonyms folded to one token, applied to aliases and
# queries alike ("grew", "growth", "increase" all mean a change).
TOKEN_FOLDS = {
    "grew": "grow", "grown": "grow", "growing": "grow", "grows": "grow", "growth": "grow",
    "increase": "grow", "increased": "grow", "increases": "grow", "increasing": "grow",
    "rise": "grow", "rose": "grow", "risen": "grow", "rising": "grow", "rises": "grow",
    "surge": "grow", "surged": "grow", "jump": "grow", "jumped": "grow",
    "yoy": "grow", "change": "grow", "changed": "grow",
    "visitors": "visitor", "tourists": "tourist", "visits": "visit", "visited": "visit", "toured": "visit",
    "tour": "visit", "touring": "visit", "takings": "revenue", "proceeds": "revenue",
    "connected": "completion", "send": "transmission", "sent": "transmission", "sending": "transmission",
    "farm": "agricultural", "farming": "agricultural", "agriculture": "agricultural",
    "person": "capita", "fastest": "rank", "largest": "rank", "biggest": "rank", "top": "rank",
    "arrivals": "arrival", "exports": "export", "imports": "import", "exported": "export",
    "imported": "import", "countries": "country", "partners": "partner", "airports": "airport",
    "railways": "railway", "expressways": "expressway", "highways": "highway", "roads": "road",
    "enterprises": "enterprise", "companies": "enterprise", "company": "enterprise", "firms": "enterprise",
    "firm": "enterprise", "certified": "certification", "cookers": "cooker",
    "flights": "flight", "hours": "hour", "trips": "trip", "passengers": "passenger",
    "drones": "drone", "markets": "market", "warehouses": "warehouse", "lines": "line",
    "projects": "project", "trademarks": "trademark", "patents": "patent", "brands": "brand",
    "attractions": "attraction", "cities": "city", "areas": "area", "blocks": "block",
    "resorts": "resort", "clusters": "cluster", "parks": "park", "bases": "base",
    "cooperatives": "cooperative", "envoys": "envoy", "diplomats": "diplomat",
    "earned": "revenue", "earnings": "revenue", "earn": "revenue", "receipts": "revenue", "money": "revenue",
    "percentage": "percent", "%": "percent", "proportion": "share",
    "trading": "trade", "traded": "trade", "trades": "trade",
    "produced": "production", "produce": "production", "produces": "production",
    "output": "output", "sold": "sold", "sales": "sale",
    "transmit": "transmission", "transmitted": "transmission", "transmits": "transmission",
    "transmitting": "transmission", "invested": "investment", "invest": "investment", "investing": "investment",
    "complete": "completion", "completed": "completion", "completing": "completion",
    "establish": "established", "establishment": "established", "founded": "established",
    "employ": "employed", "employs": "employed", "employment": "employed", "jobs": "employed",
    "finished": "completion", "finish": "completion", "ranking": "rank", "ranked": "rank", "ranks": "rank",
    "imp": "import", "exp": "export", "pct": "percent", "bn": "billion", "long": "length",
    "ga": "aviation", "uav": "drone", "uavs": "drone",
    "kilometres": "kilometers", "km": "kilometers", "tonnes": "tons",
    "tibetan": "tibet", "uyghur": "uygur", "economic": "economy",
    "e-commerce": "ecommerce",
}  # fmt: skip

# A statistical qualifier that names no metric: "enterprises above designated size".
# Conversational filler with a word that would otherwise look meaningful ("double").
_QUALIFIER_RE = re.compile(r"\babove[- ](?:the[- ])?designated[- ]size\b|\bdouble[- ]check\b")
_PUNCT_RE = re.compile(r"[^\w%\s.-]+")
_SPLIT_RE = re.compile(r"[\s]+")
_EDGE_RE = re.compile(r"^[.\-]+|[.\-]+$")


def fold(text: str) -> str:
    """Lower-case, strip accents and smart punctuation; keep CJK characters."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()


def words(text: str) -> list[str]:
    """Split folded text into words, dropping punctuation but keeping '%' and hyphens."""
    text = _QUALIFIER_RE.sub(" ", fold(text)).replace("'s ", " ").replace("'", "")
    text = _PUNCT_RE.sub(" ", text)
    out = []
    for raw in _SPLIT_RE.split(text):
        word = _EDGE_RE.sub("", raw)
        if word:
            out.append(word)
    return out


# Words a metric alias may use but that say little about which figure is wanted:
# "how big was Xinjiang's trade" asks about trade, not the land area ("how big is").
WEAK_WORDS = frozenset({"big", "large", "size", "level", "volume", "scale"})
WEAK_WEIGHT = 0.25


def fold_token(token: str) -> str:
    return TOKEN_FOLDS.get(token, token)


def singular(token: str) -> str:
    """A crude plural fold for matching ("zones" = "zone"), applied to both sides alike."""
    if len(token) < 5 or not token.isalpha():
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def content_tokens(text: str) -> list[str]:
    """The meaningful tokens of a phrase: folded, with stop words removed.

    Hyphenated words are split too ("e-commerce" stays whole through the fold
    table, "Qinghai-Xizang" becomes two tokens).
    """
    out: list[str] = []
    for word in words(text):
        folded = fold_token(word)
        parts = [fold_token(p) for p in folded.split("-") if p] if "-" in folded else [folded]
        for part in parts:
            if part and part not in STOP_WORDS and not part.isdigit():
                out.append(singular(part))
    return out
