"""One settings object for the CLI, the API and the store service, read from EDUKG_* once.

Built by the CLI or by `api.app.create_app` and passed down; nothing reads os.environ elsewhere.
It lives with the store service because that is what most of it configures, and both of its
users (api/, cli/) sit above it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data" / "articles"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EDUKG_", extra="ignore")

    # "oxigraph:PATH" (embedded, default), "memory", or a remote SPARQL 1.1 server (see README)
    store: str = "oxigraph:.edukg/store"
    # API key for writes; None means writes are disabled
    api_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0  # seconds a SPARQL query may run before it is stopped (503)
    max_query_bytes: int = 100_000  # a SPARQL request larger than this is refused (413)
    max_body_bytes: int = 5_000_000  # POST /articles body limit (413)
    max_queries: int = 8  # SPARQL queries running at once in the store process
    max_waiting: int = 64  # more queries wait for a slot; past that: 503 + Retry-After
    store_memory_mb: int | None = None  # the store process's memory cap (None: no cap)
    max_article_chars: int = 1_000_000  # longer articles are refused by extract/
    # `edukg ingest` extracts on this Dask cluster: "tcp://HOST:8786" or "local:N" (kg/cluster.py)
    dask_scheduler: str | None = None
    default_corpus: Path = DEFAULT_DATA
    # origins whose pages may read /sparql answers (CORS): "*" any, "https://a.org,https://b.org"
    # only those, "" none; the endpoint is read-only, so any origin is the default
    cors_origins: str = "*"
    # MB of /sparql answers kept in the API process for repeated queries (api/result_cache.py);
    # 0 turns the cache off. Never used with a remote store, which others may write to.
    result_cache_mb: int = 64
