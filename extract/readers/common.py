"""What every reader does the same way: normalise metadata and vet the finished article.

Readers differ only in how they find text and metadata; the checks (size, words, English) and
the metadata forms (ISO dates, stripped strings) live here so all formats agree.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from extract.errors import NotEnglish
from extract.model import Article
from extract.validate import check_article_text, check_english

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_TEXT_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y/%m/%d", "%Y.%m.%d")


def iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD` from the date forms press releases and feeds use, else None.

    Accepts ISO 8601 (with or without time), RFC 822 (RSS), a `time.struct_time` (feedparser)
    and a few spelled-out forms; ambiguous numeric forms like 03/04/2024 are left unknown
    rather than guessed.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "tm_year"):  # time.struct_time from feedparser
        try:
            return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
        except ValueError:
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def clean(value: Any) -> str | None:
    """A metadata string with white space folded, or None for missing/empty/non-string values."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    folded = " ".join(value.split())
    return folded or None


def first_line_title(text: str) -> str | None:
    """The first non-empty line: the title convention of plain-text press releases."""
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def finish(article: Article) -> Article:
    """Vet a built article (words, size, English) and record its language.

    Raises `BadInput`/`NotEnglish` with a one-line message naming the article's source.
    """
    check_article_text(article.text, article.source)
    lang = check_english(article.text, article.source)
    if lang is not None:
        article.language = lang  # what the text says beats what its wrapper declared
        return article
    declared = (article.language or "en").lower().split("-")[0]
    if declared != "en":
        raise NotEnglish(f"{article.source}: declared language '{declared}', not English; skipped")
    article.language = "en"  # too short to detect and not declared otherwise: read as English
    return article
