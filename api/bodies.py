"""Reading request bodies with a hard size limit, before any of it is parsed."""

from __future__ import annotations

from fastapi import Request

from api.errors import ApiError


def media_type(request: Request) -> str:
    """The Content-Type without parameters, lower case ("" when absent)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def charset(request: Request) -> str | None:
    for param in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower() or None
    return None


async def read_limited(request: Request, limit: int, what: str = "request body") -> bytes:
    """The body, refusing (413) as soon as it is known to exceed `limit` bytes: from
    Content-Length before reading, else while streaming, so a 20 MB upload is never buffered."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError("bad_request", "Content-Length is not a number") from None
        if size > limit:
            raise ApiError("too_large", f"{what} is {size:,} bytes; the limit is {limit:,}")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise ApiError("too_large", f"{what} is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
