"""JSON and JSON Lines batches of records: `title`, `text` or `html`, `url`, `date`, `publisher`.

A `.jsonl` file is streamed line by line, so a batch of any size reads in constant memory and a
broken line costs only that record. A `.json` file holds one record, a list of records, or an
object with the list under "articles", "items" or "records".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extract.errors import BadInput, ExtractError
from extract.model import Article
from extract.readers.common import clean, finish, iso_date
from extract.readers.html import article_from_html

JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
MAX_JSON_BYTES = 200_000_000  # a .json is parsed whole; bigger batches belong in .jsonl
LIST_KEYS = ("articles", "items", "records")


def _field(record: dict[str, Any], *names: str) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def article_from_record(record: Any, where: str) -> Article:
    """One record → article. `where` ("batch.jsonl:12") names it in errors and, when the record
    has no URL, becomes its source; with a URL the URL is the source (stable across batches)."""
    if not isinstance(record, dict):
        raise BadInput(f"{where}: record is a JSON {type(record).__name__}, not an object")
    url = clean(_field(record, "url", "link"))
    source = url or where
    title = clean(_field(record, "title", "headline"))
    date = _field(record, "date", "published", "datePublished")
    publisher = clean(_field(record, "publisher", "source_name", "site"))
    language = clean(_field(record, "language", "lang"))
    text = _field(record, "text", "body")
    if text is not None:
        if not isinstance(text, str):
            raise BadInput(f"{where}: 'text' is not a string")
        article = Article(
            text=text.strip(),
            source=source,
            title=title,
            date=iso_date(date),
            url=url,
            publisher=publisher,
            language=language,
        )
        return finish(article)
    html = _field(record, "html", "content")
    if html is None:
        raise BadInput(f"{where}: record has neither 'text' nor 'html'")
    if not isinstance(html, str):
        raise BadInput(f"{where}: 'html' is not a string")
    return article_from_html(html, source, url=url, title=title, date=iso_date(date), publisher=publisher)


def _one(record: Any, where: str) -> Article | ExtractError:
    try:
        return article_from_record(record, where)
    except ExtractError as err:
        return err


def read_jsonl_file(path: Path, source: str) -> Iterator[Article | ExtractError]:
    """Each non-blank line one record; a bad line yields its error and reading goes on."""
    found = False
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            found = True
            where = f"{source}:{lineno}"
            try:
                record = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield BadInput(f"{where}: not UTF-8")
                continue
            except json.JSONDecodeError as err:
                yield BadInput(f"{where}: invalid JSON ({err.msg} at column {err.colno})")
                continue
            yield _one(record, where)
    if not found:
        yield BadInput(f"{source}: empty JSON Lines file")


def read_json_file(path: Path, source: str) -> Iterator[Article | ExtractError]:
    """A whole-file JSON document of one or many records."""
    size = path.stat().st_size
    if size > MAX_JSON_BYTES:
        yield BadInput(f"{source}: too large for .json ({size:,} bytes); use .jsonl")
        return
    yield from records_from_json_bytes(path.read_bytes(), source)


def records_from_json_bytes(data: bytes, source: str) -> Iterator[Article | ExtractError]:
    """Records of a JSON body (a file or an HTTP response)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield BadInput(f"{source}: not UTF-8")
        return
    except json.JSONDecodeError as err:
        yield BadInput(f"{source}: invalid JSON ({err.msg} at line {err.lineno} column {err.colno})")
        return
    if isinstance(doc, dict):
        for key in LIST_KEYS:
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
    if isinstance(doc, list):
        if not doc:
            yield BadInput(f"{source}: empty list of records")
        for index, record in enumerate(doc, start=1):
            yield _one(record, f"{source}#{index}")
    else:
        yield _one(doc, source)
