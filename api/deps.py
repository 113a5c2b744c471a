"""Request-scoped access to what the lifespan opened: settings, store process, extractor, key check."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Request

from api.errors import ApiError
from api.store_process import ProcessRepo, StoreProcess
from kg.settings import Settings

API_KEY_HEADER = "X-API-Key"


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_store(request: Request) -> StoreProcess:
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise ApiError("store_unavailable", "the store is not open yet")
    return store  # type: ignore[no-any-return]


def get_repo(request: Request) -> ProcessRepo:
    """The store as a `Repo` (for routers in the API process, e.g. /graph), under the time limit."""
    return request.app.state.repo  # type: ignore[no-any-return]


def get_extractor(request: Request) -> Any:
    return request.app.state.extractor


def require_write_key(request: Request) -> None:
    """Writes need the configured key in X-API-Key; with no key configured, writes are off."""
    expected = request.app.state.settings.api_key
    if not expected:
        raise ApiError(
            "writes_disabled",
            "writes are disabled on this server: start it with --api-key KEY (or EDUKG_API_KEY) to allow them",
        )
    given = request.headers.get(API_KEY_HEADER)
    if given is None:
        raise ApiError("unauthorized", f"missing {API_KEY_HEADER} header: writes need the server's API key")
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise ApiError("unauthorized", f"wrong API key in {API_KEY_HEADER}")
