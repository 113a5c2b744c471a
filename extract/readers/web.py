"""Fetching pages and feeds over HTTP(S) with timeouts, a size cap and a total deadline.

A press-release crawler meets slow, huge and broken servers; each fetch is bounded so one bad
link costs at most `deadline` seconds and `max_bytes` of memory, and fails as a one-line
`FetchError` naming the URL instead of an exception that would stop the batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import TracebackType

import httpx

from extract.errors import BadInput, ExtractError
from extract.model import Article
from extract.readers.html import article_from_html
from extract.readers.text import article_from_text

MAX_FETCH_BYTES = 5_000_000
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
DEADLINE = 30.0  # whole request, so a server dripping a byte a second cannot hold us forever
MAX_REDIRECTS = 5
USER_AGENT = "edukg (press-release reader)"


class FetchError(ExtractError):
    """A URL could not be fetched: network error, HTTP error status, too large or too slow."""

    code = "fetch_failed"


@dataclass
class Fetched:
    """A fetched body with what is needed to decide how to read it."""

    url: str  # final URL after redirects
    content: bytes
    content_type: str  # media type only, lower case ("text/html")
    encoding: str | None


def is_url(given: str) -> bool:
    return given.lower().startswith(("http://", "https://"))


class Fetcher:
    """One HTTP client reused for all fetches of a run (keep-alive), closed with the run."""

    def __init__(
        self,
        *,
        max_bytes: int = MAX_FETCH_BYTES,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        deadline: float = DEADLINE,
    ) -> None:
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._client = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,  # the operator's proxy variables are not the crawler's business
        )

    def fetch(self, url: str) -> Fetched:
        """GET `url` within the limits or raise `FetchError` with a one-line reason."""
        if not is_url(url):
            raise FetchError(f"{url}: not an http(s) URL")
        started = time.monotonic()
        try:
            with self._client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{url}: too large ({int(declared):,} bytes; limit {self.max_bytes:,})")
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{url}: too large (over {self.max_bytes:,} bytes)")
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(f"{url}: too slow (over {self.deadline:g} s)")
                media = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(str(resp.url), bytes(body), media, resp.charset_encoding)
        except FetchError:
            raise
        except httpx.TimeoutException:
            raise FetchError(f"{url}: timed out") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: too many redirects") from None
        except httpx.HTTPError as err:
            raise FetchError(f"{url}: {type(err).__name__}: {err or 'request failed'}") from None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})


def page_article(fetched: Fetched, source: str, **meta: str | None) -> Article:
    """The article on a fetched page (HTML or plain text); `meta` as for `article_from_html`."""
    media = fetched.content_type
    if media in HTML_TYPES or (not media and fetched.content.lstrip()[:1] == b"<"):
        return article_from_html(fetched.content, source, url=fetched.url, **meta)
    if media in TEXT_TYPES:
        text = fetched.content.decode(fetched.encoding or "utf-8", errors="replace")
        return article_from_text(text, source, url=fetched.url, **meta)
    raise BadInput(f"{source}: unsupported content type '{media or 'unknown'}' (want HTML or text)")
