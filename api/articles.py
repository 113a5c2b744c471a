"""/articles: list and read articles; POST one (extracted and ingested at once); DELETE one.

An article's id is the 16 hex digits ending its IRI (= its named graph). POST takes the article
as text/plain, text/html (main text found by trafilatura) or JSON ({"text"|"html", metadata});
metadata may also come as query parameters. Writes need the API key (X-API-Key).
"""

from __future__ import annotations

import json
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.bodies import media_type, read_limited
from api.deps import ExtractorDep, SettingsDep, StoreDep, require_write_key
from api.errors import ApiError
from api.models import ArticleDetail, ArticlePage, Removed
from extract.errors import BadInput
from extract.model import Article, Extraction

router = APIRouter(prefix="/articles", tags=["Articles"])

TEXT_TYPES = frozenset({"", "text/plain", "text/markdown"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
JSON_TYPES = frozenset({"application/json"})
METADATA = ("title", "date", "url", "publisher", "source")

_extract_lock = threading.Lock()  # one spaCy pass at a time: 2 cores, and nlp() is not re-entrant-safe


@router.get("", summary="Articles, newest first", response_model=ArticlePage)
async def list_articles(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    return await store.list_articles(limit=limit, offset=offset)


@router.get(
    "/{article_id}",
    summary="One article: metadata, entities, relations with evidence",
    response_model=ArticleDetail,
)
async def get_article(store: StoreDep, article_id: str) -> dict[str, Any]:
    return await store.article_detail(article_id)


_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "html": {"type": "string"},
                        **{k: {"type": "string"} for k in METADATA},
                    },
                }
            },
        },
    }
}


@router.post(
    "",
    summary="Add an article: extract entities and relations, store them (needs X-API-Key)",
    status_code=201,
    openapi_extra=_POST_BODY,
    dependencies=[Depends(require_write_key)],
    responses={200: {"description": "Same text already stored: nothing changed"}},
)
async def post_article(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    extractor: ExtractorDep,
    title: Annotated[str | None, Query(max_length=1000)] = None,
    date: Annotated[str | None, Query(max_length=40, description="ISO 8601 date")] = None,
    url: Annotated[str | None, Query(max_length=2000)] = None,
    publisher: Annotated[str | None, Query(max_length=500)] = None,
    source: Annotated[
        str | None, Query(max_length=2000, description="name of the article (default: url)")
    ] = None,
) -> JSONResponse:
    kind = media_type(request)
    if kind not in TEXT_TYPES | HTML_TYPES | JSON_TYPES:
        raise ApiError(
            "unsupported_media_type",
            f"cannot read an article sent as {kind!r}: send text/plain, text/html or application/json",
        )
    body = await read_limited(request, settings.max_body_bytes, "article")
    if not body.strip():
        raise ApiError(
            "empty_body", "empty body: send the article's text (text/plain), page (text/html) or JSON"
        )
    meta = {"title": title, "date": date, "url": url, "publisher": publisher, "source": source}
    article = await run_in_threadpool(build_article, body, kind, meta)
    extraction = await run_in_threadpool(_extract, extractor, article)
    outcome = await store.ingest(article, extraction)
    iri = outcome["article"]
    article_id = iri.rsplit("/", 1)[-1]
    status = 200 if outcome["status"] == "unchanged" else 201
    return JSONResponse(
        {
            "status": outcome["status"],
            "article": {
                "id": article_id,
                "iri": iri,
                "source": article.source,
                "title": article.title,
                "date": article.date,
                "url": article.url,
                "publisher": article.publisher,
                "language": article.language,
            },
            "outcome": outcome,
            "extraction": extraction.to_json(),
        },
        status_code=status,
        headers={"Location": f"/articles/{article_id}"},
    )


@router.delete(
    "/{article_id}",
    summary="Remove an article and what only it asserted (needs X-API-Key)",
    response_model=Removed,
    dependencies=[Depends(require_write_key)],
)
async def delete_article(store: StoreDep, article_id: str) -> dict[str, Any]:
    outcome = await store.remove(article_id)
    return {"status": "removed", **outcome}


def build_article(body: bytes, kind: str, meta: dict[str, str | None]) -> Article:
    """The Article a POST body holds, vetted (text, size, English) by extract/'s readers: a JSON
    body is one record, read by the same reader as the records of a .jsonl batch."""
    from extract.readers.jsonl import article_from_record

    if kind in JSON_TYPES:
        record = {k: v for k, v in meta.items() if v is not None} | _json_object(body)
        named = record.get("source")
        article = article_from_record(record, str(named or "upload"))  # url (or link) → source
        given = named or article.url
        if named:
            article.source = str(named)
    else:
        given = meta.get("source") or meta.get("url")
        article = _article_from_body(body, kind, meta, str(given or "upload"))
    if not given:  # a name unique to the text: two different uploads never replace each other
        article.source = f"upload:{article.content_hash[:16]}"
    return article


def _article_from_body(body: bytes, kind: str, meta: dict[str, str | None], name: str) -> Article:
    """A text/plain or text/html body."""
    from extract.readers.html import article_from_html
    from extract.readers.text import article_from_text
    from extract.validate import check_text

    keywords = {
        "url": meta.get("url"),
        "title": meta.get("title"),
        "date": meta.get("date"),
        "publisher": meta.get("publisher"),
    }
    if kind in HTML_TYPES:
        if b"\x00" in body[:8192]:
            raise BadInput(f"{name}: binary data, not HTML")
        return article_from_html(body, name, **keywords)
    return article_from_text(check_text(body, name), name, **keywords)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ApiError("bad_request", f"the body is not valid JSON ({err})") from None
    if not isinstance(doc, dict):
        raise ApiError("bad_request", "the JSON body must be an object")
    for key in ("text", "html", *METADATA):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise ApiError("bad_request", f'"{key}" must be a string')
    return doc


def _extract(extractor: Any, article: Article) -> Extraction:
    with _extract_lock:
        extraction: Extraction = extractor.extract(article)
        return extraction
