"""Answers to repeated /sparql queries from the API process, without a trip to the store.

Why: a small query costs the store a few tens of microseconds, but the round trip to the store
process (pickling the call, two socket messages, a thread hand-over there, a future here) costs
more than the query; dashboards and notebooks ask the same query again and again. The cache
holds the bytes of an answer under the request that produced it (query text, Accept, `format=`,
the protocol's dataset parameters), so a hit skips the pre-check, the negotiation and the store.

Correctness first — a read after a write sees the write:
- every entry belongs to one *data version* (`StoreClient.data_version()`: the store process
  and the count of writes it has committed, carried by each of its answers and heartbeats). When
  the version differs from the cache's, the whole cache is dropped before anything is answered:
  a write through /articles, a write that committed after its caller gave up, a new store
  process — whatever changed the data changes the version;
- an answer is kept only if the version was the same when its query was sent and when its
  answer came back (no write was seen while it ran), and never when the version is unknown
  (None: no store process running, or a transport that cannot see every write — a remote store
  that other servers may write to, the in-process test client);
- queries whose answers differ between runs (NOW, RAND, UUID, STRUUID, BNODE) are not kept.

Bounded by bytes (least recently used out first); an answer larger than `max_item_bytes` is not
kept (those over 1 MB stream anyway). It lives in the event loop's thread only, so it needs no
lock. `Settings.result_cache_mb` sizes it; 0 turns it off (EDUKG_RESULT_CACHE_MB=0).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

MAX_ITEM_BYTES = 1_000_000  # larger answers are not kept (and stream past this size anyway)
ENTRY_OVERHEAD = 200  # bytes counted per entry beyond its key's text and its body (tuples, the dict)

CacheKey = tuple[str, str | None, str | None, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Cached:
    media_type: str
    body: bytes


def cache_key(
    query: str,
    accept: str | None,
    format_param: str | None,
    default_graph_uri: list[str],
    named_graph_uri: list[str],
) -> CacheKey:
    """Everything in a request that decides its answer's bytes (the CORS headers are added per
    request, the rest of the headers follow from the media type). The query text is taken as
    sent, less surrounding white space: any other normalisation could touch a string literal."""
    return (query.strip(), accept, format_param, tuple(default_graph_uri), tuple(named_graph_uri))


def _key_size(key: CacheKey) -> int:
    """Characters held by a key (the query text, mostly; headers and IRIs can be long too)."""
    query, accept, format_param, default, named = key
    return len(query) + len(accept or "") + len(format_param or "") + sum(map(len, default + named))


class ResultCache:
    """LRU map of request → answer bytes, valid for one data version at a time."""

    def __init__(self, max_bytes: int, max_item_bytes: int = MAX_ITEM_BYTES) -> None:
        self.max_bytes = max_bytes
        self.max_item_bytes = max_item_bytes
        self._entries: OrderedDict[CacheKey, tuple[Cached, int]] = OrderedDict()
        self._version: Hashable | None = None
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.invalidations = 0  # times the cache was dropped because the data version changed

    def _sync(self, version: Hashable) -> None:
        """Drop everything if the data version moved on since the entries were made."""
        if version != self._version:
            if self._entries:
                self.invalidations += 1
            self._entries.clear()
            self.bytes = 0
            self._version = version

    def get(self, key: CacheKey, version: Hashable | None) -> Cached | None:
        """The answer kept for `key` at data version `version`, if any (None version: never)."""
        if version is None:
            return None
        self._sync(version)
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found[0]

    def put(
        self, key: CacheKey, before: Hashable | None, after: Hashable | None, media_type: str, body: bytes
    ) -> bool:
        """Keep an answer whose query was sent at data version `before` and answered at `after`;
        kept only if both are known and equal (no write seen meanwhile) and it fits."""
        if before is None or before != after:
            return False
        size = len(body) + _key_size(key) + ENTRY_OVERHEAD
        if len(body) > self.max_item_bytes or size > self.max_bytes:
            return False
        self._sync(before)
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        self._entries[key] = (Cached(media_type, body), size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.bytes -= dropped
        return True

    def stats(self) -> dict[str, Any]:
        """What /health reports about the cache."""
        return {
            "enabled": True,
            "entries": len(self._entries),
            "bytes": self.bytes,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
            "misses": self.misses,
            "invalidations": self.invalidations,
        }
