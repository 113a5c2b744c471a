"""Plain-text press releases (.txt, .md): the first non-empty line is the title."""

from __future__ import annotations

from pathlib import Path

from extract.model import Article
from extract.readers.common import clean, finish, first_line_title, iso_date
from extract.validate import check_text

SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})


def article_from_text(
    text: str,
    source: str,
    *,
    url: str | None = None,
    title: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    fallback_publisher: str | None = None,
) -> Article:
    """Wrap plain text as an article. Without a given title, the first line is the title
    (Markdown '#' marks dropped); keyword metadata comes from a wrapper such as a feed item."""
    if title is None:
        title = first_line_title(text)
        if title is not None:
            title = title.lstrip("#").strip() or None
    article = Article(
        text=text,  # unstripped: evidence offsets must point into the file as given
        source=source,
        title=clean(title),
        date=iso_date(date),
        url=url,
        publisher=clean(publisher) or clean(fallback_publisher),
    )
    return finish(article)


def read_text_file(path: Path, source: str) -> Article:
    """A .txt/.md file: checked bytes (UTF-8, not binary, not huge) → one article."""
    return article_from_text(check_text(path.read_bytes(), source), source)
