"""Domain errors of kg/: each has a short machine `code` and a one-line human message.

api/ maps codes to HTTP statuses and the CLI prints `str(err)`; neither needs to know which
backend or module raised it.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of kg/ errors."""

    code = "kg_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadQuery(KGError):
    """The SPARQL query or update does not parse or cannot run (a client mistake)."""

    code = "bad_query"


class NotFound(KGError):
    """The article (or graph) asked for is not in the store."""

    code = "not_found"


class UnsupportedFormat(KGError):
    """An export or result format the store cannot produce."""

    code = "bad_format"


class BadSpec(KGError):
    """A store spec (`--store` / EDUKG_STORE) that names no known backend."""

    code = "bad_store_spec"


class StoreError(KGError):
    """The store cannot be opened or written (locked, disk full, server down)."""

    code = "store_error"


class BadExtraction(KGError):
    """An Extraction that cannot be mapped (unknown type or predicate, dangling entity id)."""

    code = "bad_extraction"


class Ambiguous(KGError):
    """A reference (e.g. a file name) that matches more than one article."""

    code = "ambiguous"


class UnknownFilter(KGError):
    """A filter value that names no entity type or relation of the vocabulary."""

    code = "bad_filter"


class ResultTooLarge(KGError):
    """A serialised answer passed the size limit; the client should add LIMIT."""

    code = "result_too_large"


class StoreTimeout(KGError):
    """A request overran its time limit (and was abandoned, or its store process stopped)."""

    code = "timeout"


class StoreBusy(KGError):
    """Too many queries are running or waiting; the client should retry shortly."""

    code = "store_busy"


class StoreUnavailable(KGError):
    """The store process is not running (closed, failed to start, or crashed repeatedly)."""

    code = "store_unavailable"
