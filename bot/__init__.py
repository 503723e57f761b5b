"""factbot: sourced answers to questions about a curated fact store."""

__version__ = "0.1.0"
