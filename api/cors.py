"""CORS for /sparql, so browser clients served from elsewhere (YASGUI, notebooks) can query it.

Why only /sparql and not a middleware over the whole app: the endpoint is read-only and answers
the same to everyone, so letting any page read its answers gives nothing away; the REST writes
(POST/DELETE /articles, keyed) stay same-origin. `Settings.cors_origins` is `*` (any origin) by
default, a comma-separated list of origins to allow only those, or empty to send no CORS headers.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from kg.service.settings import Settings

ALLOW_METHODS = "GET, POST, OPTIONS"
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may cache the preflight answer


def allow_origin(request: Request) -> dict[str, str]:
    """`Access-Control-Allow-Origin` (and `Vary: Origin` when it depends on the caller) for an answer."""
    settings: Settings | None = getattr(request.app.state, "settings", None)
    configured = (settings.cors_origins if settings is not None else "*").strip()
    if not configured:
        return {}
    if configured == "*":
        return {"Access-Control-Allow-Origin": "*"}
    origin = request.headers.get("origin", "")
    allowed = {o.strip().rstrip("/") for o in configured.split(",") if o.strip()}
    if origin.rstrip("/") in allowed:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {"Vary": "Origin"}


def preflight(request: Request) -> Response:
    """The answer to a CORS preflight `OPTIONS /sparql`: which methods and headers a page may send."""
    headers = allow_origin(request)
    if "Access-Control-Allow-Origin" in headers:
        requested = request.headers.get("access-control-request-headers")
        headers |= {
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": requested or "Accept, Content-Type",
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        }
        if request.headers.get("access-control-request-private-network") == "true":
            # Chromium asks before a public site (e.g. YASGUI's) may call a server on this machine
            headers["Access-Control-Allow-Private-Network"] = "true"
    headers["Allow"] = ALLOW_METHODS
    return Response(status_code=204, headers=headers)
