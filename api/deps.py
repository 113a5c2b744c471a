"""Request-scoped access to what the lifespan opened: settings, the store client, the extractor.

The getters are `async` so FastAPI calls them on the event loop instead of hopping to a worker
thread for each (a plain `def` dependency costs one thread-pool round trip per request).
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Annotated, Any

from fastapi import Depends, Request

from api.errors import ApiError
from kg.service.client import StoreClient
from kg.service.settings import Settings

API_KEY_HEADER = "X-API-Key"
_extractor_lock = asyncio.Lock()


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def app_store(request: Request) -> StoreClient:
    store: StoreClient | None = getattr(request.app.state, "store", None)
    if store is None:
        raise ApiError("store_unavailable", "the store is not open yet")
    return store


async def get_settings(request: Request) -> Settings:
    return app_settings(request)


async def get_store(request: Request) -> StoreClient:
    return app_store(request)


async def get_extractor(request: Request) -> Any:
    """The spaCy extractor: loaded by the lifespan in the server, on first use when an app was
    built around a given store (tests that never POST an article never load the model)."""
    if request.app.state.extractor is None:
        async with _extractor_lock:
            if request.app.state.extractor is None:
                from api.app import load_extractor

                request.app.state.extractor = await asyncio.to_thread(
                    load_extractor, request.app.state.settings
                )
    return request.app.state.extractor


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[StoreClient, Depends(get_store)]
ExtractorDep = Annotated[Any, Depends(get_extractor)]


async def require_write_key(request: Request) -> None:
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
