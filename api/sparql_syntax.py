"""A SPARQL syntax error told the way a person can act on it: line, column and the offending token.

Why not pass the store's message on: Oxigraph's parser reports the *furthest* position it reached
and every terminal it would have accepted there ("error at 1:35: expected one of HAVING, OFFSET,
OPTIONAL, VALUES, …", often a page of character classes), and that position is frequently the
end of the query, far past the mistake (`… } LIMT 5` is reported after the `5`). rdflib's
pyparsing grammar stops at the first token it cannot fit, which is where people look; it is slow
(~16 ms), not thread-safe and recursion-bound on long queries (see api/sparql_scan.py), so it runs
here only after the store has already refused a query, under a lock, on queries of modest size.
rdflib's position is used when it finds one, else Oxigraph's; the token there comes from
api.sparql_scan's tokenizer. rdflib does not check prefixes, so an undeclared one is found here.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from api.sparql_scan import tokens

MAX_REPARSE_CHARS = 20_000  # longer queries keep the store's position (rdflib may recurse too deep)
_ENGINE_POSITION = re.compile(r"error at (\d+):(\d+)")
_PARSE_LOCK = threading.Lock()  # rdflib's parser keeps state in module globals


@dataclass(frozen=True)
class SyntaxPosition:
    """Where a syntax error is: 1-based line and column, 0-based offset, and the token there."""

    line: int
    column: int
    offset: int
    token: str  # "" at the end of the query


def explain(query: str, engine_message: str) -> str | None:
    """One readable line for a syntax error the store reported, or None if `engine_message` is not
    a syntax error with a position (then the caller keeps it as it is)."""
    found = _ENGINE_POSITION.search(engine_message)
    if found is None:
        return None
    offset = _first_failure(query)
    if offset is None:  # rdflib's grammar accepts it: an undeclared prefix, or a check of Oxigraph's
        undeclared = _undeclared_prefix(query)
        if undeclared is not None:
            pos = position(query, undeclared[1])
            return (
                f"SPARQL syntax error at line {pos.line}, column {pos.column}: the prefix "
                f"'{undeclared[0]}:' is not declared; add PREFIX {undeclared[0]}: <…> before the query"
            )
        offset = _offset(query, int(found.group(1)), int(found.group(2)))
    pos = position(query, offset)
    near = f"near '{pos.token}'" if pos.token else "at the end of the query (is something missing?)"
    return f"SPARQL syntax error at line {pos.line}, column {pos.column}, {near}"


def position(query: str, offset: int) -> SyntaxPosition:
    """The line, column and token at `offset` (the token starting there or the next one)."""
    offset = max(0, min(offset, len(query)))
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    token = ""
    for tok in tokens(query):
        if tok.pos + len(tok.text) > offset:
            token = tok.text
            break
    if len(token) > 40:
        token = token[:37] + "…"
    return SyntaxPosition(line, column, offset, token)


def _offset(query: str, line: int, column: int) -> int:
    """Character offset of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        nl = query.find("\n", start)
        if nl < 0:
            return len(query)
        start = nl + 1
    return min(start + column - 1, len(query))


def _first_failure(query: str) -> int | None:
    """Where rdflib's parser first fails, or None (query too long, or it parsed)."""
    if len(query) > MAX_REPARSE_CHARS:
        return None
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    with _PARSE_LOCK:
        try:
            parseQuery(query)
        except ParseBaseException as err:
            return int(err.loc)
        except (RecursionError, ValueError, TypeError):
            return None
    return None


def _undeclared_prefix(query: str) -> tuple[str, int] | None:
    """The first prefixed name whose prefix no PREFIX declares, with its offset."""
    declared: set[str] = set()
    toks = tokens(query)
    for i, tok in enumerate(toks):
        if (
            tok.kind == "word"
            and tok.text.upper() == "PREFIX"
            and i + 1 < len(toks)
            and toks[i + 1].kind == "pname"
        ):
            declared.add(toks[i + 1].text.split(":", 1)[0])
        elif tok.kind == "pname":
            name = tok.text.split(":", 1)[0]
            if name not in declared and not (i > 0 and toks[i - 1].text.upper() == "PREFIX"):
                return name, tok.pos
    return None
