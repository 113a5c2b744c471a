"""One place that turns every error into an HTTP answer: status from the error's `code`.

kg/ and extract/ raise domain errors with a code and a one-line message (they never import
fastapi); the store process sends its errors back with the same code; api/ code raises `ApiError`.
REST answers are JSON `{"error": code, "message": ...}`; /sparql answers are one line of text,
as SPARQL clients (SPARQLWrapper, YASGUI, curl) print the body of a failed request.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from api.cors import allow_origin
from api.sparql_scan import ScanError
from extract.errors import ExtractError
from kg.errors import KGError
from kg.service.process import RETRY_AFTER

log = logging.getLogger("edukg.api")

STATUS_BY_CODE: dict[str, int] = {
    # client mistakes
    "bad_request": 400,
    "bad_query": 400,
    "bad_input": 400,
    "empty_body": 400,
    "empty_query": 400,
    "no_query_form": 400,
    "update_refused": 400,
    "service_refused": 400,
    "remote_graph_refused": 400,
    "bad_graph_iri": 400,
    "bad_filter": 400,
    "unauthorized": 401,
    "writes_disabled": 403,
    "not_found": 404,
    "not_acceptable": 406,
    "bad_format": 406,
    "ambiguous": 409,
    "too_large": 413,
    "unsupported_media_type": 415,
    "not_english": 422,
    "bad_extraction": 422,
    "validation_error": 422,
    # the server's limits and troubles
    "internal_error": 500,
    "timeout": 503,
    "store_busy": 503,
    "result_too_large": 503,
    "store_unavailable": 503,
    "store_error": 503,
    "bad_store_spec": 500,
}


class ApiError(Exception):
    """An error api/ itself raises: a code (which decides the status) and a one-line message."""

    def __init__(self, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.headers = headers


def status_of(code: str) -> int:
    return STATUS_BY_CODE.get(code, 500)


def error_response(
    request: Request, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    status = status_of(code)
    message = " ".join(message.split())  # always one line
    if status >= 500:
        log.warning("%s %s -> %d %s: %s", request.method, request.url.path, status, code, message)
    if request.url.path.startswith("/sparql"):
        # a browser client on another origin must be able to read why its query failed
        headers = allow_origin(request) | (headers or {})
        return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def response_for(request: Request, err: Exception) -> Response:
    """The answer to an error a route raised: the one mapping both the app's exception handlers
    and the /sparql fast path (api/fastpath.py) use, so the two cannot drift apart."""
    if isinstance(err, ApiError):
        return error_response(request, err.code, err.message, err.headers)
    if isinstance(err, ScanError | ExtractError):
        return error_response(request, err.code, err.message)
    if isinstance(err, KGError):
        # a busy server says when to come back (RFC 9110 Retry-After), so clients back off
        headers = {"Retry-After": str(RETRY_AFTER)} if err.code == "store_busy" else None
        return error_response(request, err.code, err.message, headers)
    if isinstance(err, ClientDisconnect):
        # the client closed the connection before sending its whole request: nothing went wrong
        # here and nobody will read an answer, so one line and no traceback
        client = f"{request.client.host}:{request.client.port}" if request.client else "client"
        log.warning(
            "%s %s: %s closed the connection before the request was read",
            request.method,
            request.url.path,
            client,
        )
        return Response(status_code=499)
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=err)
    return error_response(
        request, "internal_error", f"internal error ({type(err).__name__}); see the server log"
    )


def install(app: FastAPI) -> None:
    """Register the handlers (the app factory calls this)."""

    async def _handled(request: Request, err: Exception) -> Response:
        return response_for(request, err)

    for kind in (ApiError, ScanError, KGError, ExtractError, ClientDisconnect, Exception):
        app.add_exception_handler(kind, _handled)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError) -> Response:
        parts = []
        for item in err.errors():
            where = ".".join(str(x) for x in item.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg")))
        return error_response(request, "validation_error", "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(err.status_code, "http_error")
        message = str(err.detail) if err.detail else "error"
        if err.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        status = err.status_code
        if request.url.path.startswith("/sparql"):
            headers = allow_origin(request) | (getattr(err, "headers", None) or {})
            return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)
        return JSONResponse(
            {"error": code, "message": message}, status_code=status, headers=getattr(err, "headers", None)
        )
