"""RSS and Atom feeds: each item's linked page is fetched and read as an article.

A feed item is usually a teaser; the press release is the page it links to. The page is fetched
(bounded by `Fetcher`) and read by the HTML reader, with the item's title, date and the feed's
name as metadata. When the page cannot be fetched, a full text carried in the item itself
(`content:encoded`, Atom `content`) is used instead; a mere teaser is not an article, so the
item is reported as failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extract.errors import BadInput, ExtractError
from extract.model import Article
from extract.readers.common import iso_date
from extract.readers.html import article_from_html
from extract.readers.web import Fetcher, FetchError, is_url, page_article

SUFFIXES = frozenset({".rss", ".atom", ".xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"}
)
MIN_INLINE_CHARS = 400  # an item body shorter than this is a teaser, not the press release


def looks_like_feed(data: bytes) -> bool:
    """Cheap sniff of a body's opening for an RSS/Atom root element."""
    head = data[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _inline_html(entry: Any) -> str | None:
    """The fullest body the item carries: `content` (content:encoded/Atom) before `summary`."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if value and value.strip():
            return str(value)
    summary = entry.get("summary")
    return str(summary) if summary and summary.strip() else None


def _item_article(
    entry: Any, index: int, feed_source: str, feed_title: str | None, fetcher: Fetcher
) -> Article:
    link = entry.get("link")
    title = entry.get("title")
    date = entry.get("published_parsed") or entry.get("updated_parsed")
    meta: dict[str, str | None] = {"title": title, "date": iso_date(date), "fallback_publisher": feed_title}
    inline = _inline_html(entry)
    if link and is_url(link):
        try:
            return page_article(fetcher.fetch(link), link, **meta)
        except FetchError as err:
            if inline is None or len(inline) < MIN_INLINE_CHARS:
                raise FetchError(f"{feed_source}: item {index}: {err.message}") from None
            return article_from_html(inline, link, url=link, **meta)
    if inline is None:
        raise BadInput(f"{feed_source}: item {index} has neither a link nor content")
    return article_from_html(inline, link or f"{feed_source}#item{index}", url=None, **meta)


def read_feed_bytes(
    data: bytes, source: str, fetcher: Fetcher, *, base_url: str | None = None
) -> Iterator[Article | ExtractError]:
    """Articles of one feed document; one bad item yields its error and the rest go on."""
    import feedparser  # bytes only: given a str, feedparser would open it as a path or URL

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(bytes(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({str(reason).splitlines()[0]})" if reason else ""
        yield BadInput(f"{source}: not an RSS/Atom feed{detail}")
        return
    if not parsed.entries:
        yield BadInput(f"{source}: feed has no items")
        return
    feed_title = parsed.feed.get("title") if parsed.get("feed") else None
    for index, entry in enumerate(parsed.entries, start=1):
        try:
            yield _item_article(entry, index, source, feed_title, fetcher)
        except ExtractError as err:
            yield err


def read_feed_file(path: Path, source: str, fetcher: Fetcher) -> Iterator[Article | ExtractError]:
    """A feed saved on disk; its item links are fetched over HTTP."""
    yield from read_feed_bytes(path.read_bytes(), source, fetcher)
