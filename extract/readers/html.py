"""HTML pages → article text and metadata via trafilatura (main content only).

trafilatura drops navigation, cookie banners, footers and sidebars by their structure and link
density, and reads title, date (htmldate), canonical URL and site name from the head. We ask
for precision first and fall back to recall only when precision finds no article at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extract.errors import BadInput
from extract.model import Article
from extract.readers.common import clean, finish, iso_date

SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MAX_HTML_BYTES = 5_000_000  # pages are tens to hundreds of kB; above this it is not a press release


def _extract(html: str | bytes, url: str | None, *, favor_precision: bool) -> Any:
    import trafilatura  # imported late: it costs ~0.3 s and most commands never read HTML

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=favor_precision,
        # no `deduplicate`: its cache of seen paragraphs lives for the whole process, so a page
        # read a second time (a watch poll, a re-run, a feed item seen twice) would come out empty
        deduplicate=False,
    )


def article_from_html(
    html: str | bytes,
    source: str,
    *,
    url: str | None = None,
    title: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    fallback_publisher: str | None = None,
) -> Article:
    """The article in one HTML page.

    Keyword metadata comes from a curated wrapper (a JSON record, a feed item) and wins over
    what trafilatura guesses from the page; the page fills the gaps. The URL is the exception:
    the page's canonical URL names the article better than the (tracking) link that led to it.
    `fallback_publisher` (e.g. a feed's title) is used only when neither names a publisher.
    """
    if not html or (isinstance(html, bytes | str) and not html.strip()):
        raise BadInput(f"{source}: empty page")
    if len(html) > MAX_HTML_BYTES:
        raise BadInput(f"{source}: page too large ({len(html):,} bytes; limit {MAX_HTML_BYTES:,})")
    try:
        doc = _extract(html, url, favor_precision=True)
        if doc is None or not (doc.text or "").strip():
            doc = _extract(html, url, favor_precision=False)
    except Exception as err:  # trafilatura/lxml raise assorted errors on broken markup
        raise BadInput(f"{source}: cannot parse HTML ({type(err).__name__}: {err})") from None
    if doc is None or not (doc.text or "").strip():
        raise BadInput(f"{source}: no article text found in the page")
    page_url = clean(getattr(doc, "url", None))
    if page_url is not None and not page_url.startswith(("http://", "https://")):
        page_url = None
    article = Article(
        text=doc.text.strip(),
        source=source,
        title=clean(title) or clean(getattr(doc, "title", None)),
        date=iso_date(date) or iso_date(getattr(doc, "date", None)),
        url=page_url or url,
        publisher=clean(publisher) or clean(getattr(doc, "sitename", None)) or clean(fallback_publisher),
        language=clean(getattr(doc, "language", None)),
    )
    return finish(article)


def read_html_file(path: Path, source: str) -> Article:
    """A saved page. Bytes go to trafilatura as they are, so it honours the page's charset."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise BadInput(f"{source}: binary file, not HTML")
    return article_from_html(data, source)
