"""Turn paths and URLs into `Article`s: text, Markdown, HTML, JSON/JSONL, RSS/Atom, folders.

`read_path` never raises for one bad input: it yields an `ExtractError` in that input's place
(a one-line message naming the file, record or URL) so a batch can report it and go on.
Non-English articles come out as `NotEnglish` errors, which callers treat as skips.

One module per format (text, html, jsonl, feed, web); this module only dispatches.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from extract.errors import BadInput, ExtractError
from extract.model import Article
from extract.readers import feed, html, jsonl, text
from extract.readers.text import read_text_file
from extract.readers.web import Fetcher, FetchError, is_url, page_article

__all__ = [
    "ARTICLE_SUFFIXES",
    "FetchError",
    "Fetcher",
    "article_files",
    "estimate_articles",
    "read_path",
    "read_paths",
    "read_text_file",
]

TEXT_SUFFIXES = text.SUFFIXES
ARTICLE_SUFFIXES = text.SUFFIXES | html.SUFFIXES | jsonl.JSON_SUFFIXES | jsonl.JSONL_SUFFIXES | feed.SUFFIXES


def article_files(root: Path) -> Iterator[Path]:
    """Article files under `root`, recursively, in a stable (sorted) order, streamed.

    Hidden files and folders (".git", ".DS_Store") and unknown suffixes (".part", ".tmp",
    images) are passed over silently: a folder is a corpus, not a list of demands.
    """
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            yield Path(dirpath) / name


def _sniff(path: Path) -> str:
    """Format of a file given explicitly with an unknown suffix, from its first bytes."""
    with path.open("rb") as fh:
        head = fh.read(2048).lstrip()
    if feed.looks_like_feed(head):
        return "feed"
    if head[:1] == b"<":
        return "html"
    if head[:1] in (b"{", b"["):
        return "json"
    return "text"


def _file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in text.SUFFIXES:
        return "text"
    if suffix in html.SUFFIXES:
        return "html"
    if suffix in jsonl.JSONL_SUFFIXES:
        return "jsonl"
    if suffix in jsonl.JSON_SUFFIXES:
        return "json"
    if suffix in feed.SUFFIXES:
        return "feed"
    return _sniff(path)


def _read_file(path: Path, given: str, fetcher: Fetcher) -> Iterator[Article | ExtractError]:
    fmt = _file_format(path)
    if fmt == "text":
        yield text.read_text_file(path, given)
    elif fmt == "html":
        yield html.read_html_file(path, given)
    elif fmt == "jsonl":
        yield from jsonl.read_jsonl_file(path, given)
    elif fmt == "json":
        yield from jsonl.read_json_file(path, given)
    else:
        yield from feed.read_feed_file(path, given, fetcher)


def _read_url(url: str, fetcher: Fetcher) -> Iterator[Article | ExtractError]:
    """A URL argument: a feed (its items' pages are fetched), a JSON batch, or one page."""
    fetched = fetcher.fetch(url)
    media = fetched.content_type
    if media in feed.FEED_TYPES or feed.looks_like_feed(fetched.content):
        yield from feed.read_feed_bytes(fetched.content, url, fetcher, base_url=fetched.url)
    elif media == "application/json" or media.endswith("+json"):
        yield from jsonl.records_from_json_bytes(fetched.content, url)
    else:
        yield page_article(fetched, url)


def _guarded(given: str, items: Iterator[Article | ExtractError]) -> Iterator[Article | ExtractError]:
    """Turn anything a reader raises into one error item, so a batch always goes on."""
    try:
        yield from items
    except ExtractError as err:
        yield err
    except OSError as err:
        yield BadInput(f"{given}: cannot read ({err.strerror or err})")
    except Exception as err:  # a reader bug must cost one input, not the batch
        yield BadInput(f"{given}: unexpected {type(err).__name__}: {err}")


def read_path(given: str, *, fetcher: Fetcher | None = None) -> Iterator[Article | ExtractError]:
    """Articles of one argument: a file, every article file under a folder, or an http(s) URL."""
    with ExitStack() as stack:
        if fetcher is None:
            fetcher = stack.enter_context(Fetcher())
        if is_url(given):
            yield from _guarded(given, _read_url(given, fetcher))
            return
        path = Path(given)
        if not path.exists():
            yield BadInput(f"{given}: no such file or directory")
            return
        if path.is_dir():
            for file in article_files(path):  # os.walk skips unreadable folders silently
                yield from _guarded(str(file), _read_file(file, str(file), fetcher))
            return
        yield from _guarded(given, _read_file(path, given, fetcher))


def read_paths(givens: Iterable[str]) -> Iterator[Article | ExtractError]:
    """`read_path` over many arguments with one shared HTTP client."""
    with Fetcher() as fetcher:
        for given in givens:
            yield from read_path(given, fetcher=fetcher)


def estimate_articles(givens: Iterable[str]) -> int | None:
    """A cheap count of the articles `read_paths(givens)` will yield, for a progress bar.

    Files count one each, JSON Lines files one per non-blank line; feeds, .json lists and URLs
    count one (their size is only known once read). None when it cannot be told at all.
    """
    total = 0
    for given in givens:
        if is_url(given):
            total += 1
            continue
        path = Path(given)
        try:
            files: Iterable[Path] = article_files(path) if path.is_dir() else [path]
            for file in files:
                if file.suffix.lower() in jsonl.JSONL_SUFFIXES:
                    with file.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                else:
                    total += 1
        except OSError:
            total += 1
    return total or None
