"""zh-CN: slash command names, descriptions and options through `app_commands.Translator`, and
the frame of a reply ("No figure for…", "Nearest figure…", "Source") for a zh-CN interaction.

Figures, quotes, titles of documents and place names stay verbatim: they are
what the source printed, and the bot never rewrites a source. Only the words
factbot itself puts around them are translated; a string without a
translation stays English (Discord shows the default).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import discord
from discord import app_commands

ZH = discord.Locale.chinese  # "zh-CN"

# Command and option names: lower case, no spaces (Discord's rule for slash commands).
NAMES: dict[str, str] = {
    "trade": "贸易", "fact": "查询", "figure": "数据", "sources": "来源", "help": "帮助",
    "reload": "重新加载", "sync": "同步", "stats": "统计", "compare": "比较", "series": "时间序列",
    "settings": "设置", "place": "地区", "period": "时期", "only_me": "仅自己可见", "query": "问题",
    "metric": "指标", "document": "文档", "force": "强制", "days": "天数", "all_servers": "所有服务器",
    "prefix": "前缀", "answer_here": "在此频道回答", "every_channel": "所有频道", "place_a": "地区一",
    "place_b": "地区二", "Look up figure": "查询数据",
}  # fmt: skip

DESCRIPTIONS: dict[str, str] = {
    "Foreign trade of a place, e.g. trade xizang 2023": "某地的对外贸易，例如 trade xizang 2023",
    "Ask any question, e.g. fact GDP of Xizang in 2023": "提任何问题，例如：2023年西藏的GDP",
    "Any figure: pick a metric, a place and optionally a period": "任意数据：选择指标、地区和（可选）时期",
    "List the source documents, or show one": "列出来源文件，或显示其中一份",
    "This list of commands": "命令列表",
    "Only you see the answer (default: this server's setting, usually everyone)":
        "只有您能看到回答（默认：本服务器的设置，通常所有人可见）",
    "A region, prefecture or zone: Xizang (Tibet), Xinjiang, Kashgar...": "地区、地州或园区：西藏、新疆、喀什……",
    "Optional: 2023, H1 2023, first 11 months of 2023... (default: the latest)":
        "可选：2023、2023年上半年、2023年前11个月……（默认：最新）",
    "Optional: 2023, H1 2023, January to April 2024... (default: the latest)":
        "可选：2023、2023年上半年、2024年1至4月……（默认：最新）",
    "Your question, e.g. How much did Xinjiang trade with Belt and Road countries in 2023?":
        "您的问题，例如：2023年新疆与共建“一带一路”国家的贸易额是多少？",
    "What to look up: foreign trade, GDP, tourist arrivals, installed power capacity...":
        "要查的指标：对外贸易、GDP、游客人次、电力装机容量……",
    "A region, prefecture, city or zone": "地区、地州、城市或园区",
    "Optional: a document number, title words or file name": "可选：文件编号、标题关键词或文件名",
    "This server's prefix, channels and default visibility": "本服务器的前缀、频道和默认可见范围",
}  # fmt: skip

# The frame of a reply: factbot's own words around the figures, in the order they are replaced.
FRAME: tuple[tuple[str, str], ...] = (
    ("Nearest figure the documents give (not for what you asked): ", "文件中最接近的数据（并非您所问的）："),
    ("No figure for exactly ", "没有完全符合以下内容的数据："),
    ("No figure for ", "没有以下数据："),
    ("The documents have no figures for ", "文件中没有以下地区的数据："),
    ("Several figures fit ", "有多个数据符合 "),
    (" Ask again more precisely, or pick one.", " 请问得更具体些，或选择其一。"),
    (" Did you mean: ", " 您是不是想问："),
    ("; the closest metric is ", "；最接近的指标是 "),
    (" that concerns ", "（涉及 "),
    (". Source: ", "。来源："),
)
FIELDS: dict[str, str] = {
    "Figure": "数据", "Period": "时期", "Source": "来源", "Quote": "原文", "Curator's note": "编者注",
    "You asked": "您的问题", "The buttons ask the suggested questions.": "按钮会提出建议的问题。",
}  # fmt: skip


def is_zh(locale: discord.Locale | str | None) -> bool:
    return str(locale) == ZH.value


def frame(text: str, locale: discord.Locale | str | None) -> str:
    """`text` (a sentence of factbot's) with its frame in the user's language; the rest verbatim."""
    if not is_zh(locale):
        return text
    for english, chinese in FRAME:
        text = text.replace(english, chinese)
    return re.sub(r"(?<=[^\x00-\x7f])\.$", "。", text)


def label(name: str, locale: discord.Locale | str | None) -> str:
    """A field name or fixed phrase of the reply layout."""
    return FIELDS.get(name, name) if is_zh(locale) else name


class FactTranslator(app_commands.Translator):
    """Command names, descriptions and option names for zh-CN; None (English) for the rest."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext[Any, Any],
    ) -> str | None:
        if locale is not ZH:
            return None
        text = string.message
        location = context.location
        if location in (
            app_commands.TranslationContextLocation.command_name,
            app_commands.TranslationContextLocation.parameter_name,
        ):
            return NAMES.get(text)
        if location in (
            app_commands.TranslationContextLocation.command_description,
            app_commands.TranslationContextLocation.parameter_description,
        ):
            return DESCRIPTIONS.get(text)
        return None

    @property
    def fingerprint(self) -> str:
        """Changes with the tables, so that `sync_if_changed` syncs new translations."""
        blob = json.dumps([NAMES, DESCRIPTIONS], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
