"""Checks that raw bytes are a readable English article before any NLP runs on them."""

from __future__ import annotations

from extract.errors import BadInput

MAX_ARTICLE_BYTES = 2_000_000  # a press release is a few kB; 2 MB is already a book


def check_text(data: bytes, source: str, *, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Decode `data` as UTF-8 text or raise `BadInput` with a one-line reason naming `source`."""
    if not data.strip():
        raise BadInput(f"{source}: empty article")
    if len(data) > max_bytes:
        raise BadInput(f"{source}: too large ({len(data):,} bytes; limit {max_bytes:,})")
    if b"\x00" in data[:8192]:
        raise BadInput(f"{source}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadInput(f"{source}: not UTF-8 text (bad byte at offset {err.start})") from None
    if not any(ch.isalpha() for ch in text):
        raise BadInput(f"{source}: no words in article")
    return text
