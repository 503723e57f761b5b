"""Text made valid at the edge: what adapters do to user text before anything else sees it.

Python strings can hold lone surrogates (U+D800..U+DFFF): Discord's JSON may carry
`"\\ud83d"` on its own, and a command line or a pipe decoded with `surrogateescape`
turns each undecodable byte into one. They cannot be encoded as UTF-8, so the first
component that writes them (SQLite, stdout, a JSON file) raises. Every adapter passes
user text through `clean_text` once, before the engine, the query log or the output.
"""

from __future__ import annotations

from typing import Any

REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """`text` with valid surrogate pairs joined and lone surrogates replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return text  # the common case costs one encode
    # UTF-16 with surrogatepass turns a valid pair back into its character and
    # leaves lone halves undecodable, which "replace" turns into U+FFFD.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def decode_bytes(data: bytes) -> str:
    """Bytes from outside (stdin, a file) as text: invalid UTF-8 becomes U+FFFD."""
    return data.decode("utf-8", "replace")


def clean_payload(value: Any) -> Any:
    """A decoded JSON value with every string in it (keys too) passed through `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_payload(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_payload(v) for v in value]
    return value
