"""A lexical pre-check of SPARQL text: query form, dataset clauses, and what /sparql refuses.

Why not a full parser: rdflib's parser is not thread-safe, costs ~16 ms on an ordinary query and
dies with RecursionError on a long but valid one (3,000 triple patterns, 78 kB); pyoxigraph parses
fast and gives good messages but exposes no parser of its own, and it *follows* `SERVICE <url>`
(measured: it POSTs to the URL). So the real parse stays with the store (syntax errors come back
as its message) and this module only needs a tokenizer: it skips strings, IRIs, comments,
variables and prefixed names the way the SPARQL grammar's terminals do, so a bare word it reports
is a keyword there too. It runs in linear time on any input (no backtracking regexes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin

QueryForm = Literal["select", "ask", "construct", "describe"]

QUERY_FORMS: dict[str, QueryForm] = {
    "SELECT": "select",
    "ASK": "ask",
    "CONSTRUCT": "construct",
    "DESCRIBE": "describe",
}
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"}
)
# built-in functions whose value differs between two runs of the same query
VOLATILE_FUNCTIONS = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


class ScanError(ValueError):
    """The query is refused before it reaches the store; `code` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class QueryInfo:
    """What the endpoint needs to know about a query before running it."""

    form: QueryForm
    from_graphs: list[str] = field(default_factory=list)  # FROM <g> (resolved IRIs)
    from_named: list[str] = field(default_factory=list)  # FROM NAMED <g>
    # calls NOW(), RAND(), UUID(), STRUUID() or BNODE(): two runs answer differently, so the
    # answer must not be reused (api/result_cache.py)
    volatile: bool = False

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("construct", "describe")


# One alternation, tried in this order at each position; each branch is linear.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<long1>'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<long2>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<str1>'(?:[^'\\\n\r]|\\.)*')
  | (?P<str2>"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w.\-:%\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[^\W\d]\w*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class _Token:
    kind: str
    text: str
    pos: int


def tokens(text: str) -> list[_Token]:
    """Significant tokens of `text` (white space and comments dropped)."""
    out: list[_Token] = []
    pos = 0
    end = len(text)
    while pos < end:
        m = _TOKEN.match(text, pos)
        assert m is not None  # the `other` branch matches any character
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(_Token(kind, m.group(), pos))
        pos = m.end()
    return out


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def scan_query(text: str, *, allowed_graph_base: str | None = None) -> QueryInfo:
    """Classify a SPARQL query and refuse what the endpoint does not run.

    Raises `ScanError` for: an empty query, SPARQL Update, `SERVICE` (any federation would be an
    outbound request made on a stranger's behalf), and FROM / FROM NAMED graphs outside
    `allowed_graph_base` when one is given (a remote store like Virtuoso may fetch them; the
    embedded store never does, so the endpoint passes None for it). Syntax errors are left to the
    store's parser, which knows the grammar.
    """
    if not text.strip():
        raise ScanError("empty_query", "empty query: send a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE")
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    form: QueryForm | None = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    volatile = False
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if tok.kind == "word":
            word = tok.text.upper()
            if word in VOLATILE_FUNCTIONS:
                volatile = True
            if word == "SERVICE":
                raise ScanError(
                    "service_refused",
                    f"SERVICE is not allowed ({_line_col(text, tok.pos)}): this endpoint makes no "
                    "requests to other servers",
                )
            if form is None:
                if word in UPDATE_KEYWORDS:
                    raise ScanError(
                        "update_refused",
                        f"SPARQL Update ({word}) is not accepted: /sparql is read-only; "
                        "change the graph through POST/DELETE /articles",
                    )
                if word == "PREFIX" and i + 2 < n and toks[i + 1].kind == "pname":
                    if toks[i + 2].kind == "iri":
                        name = toks[i + 1].text.split(":", 1)[0]
                        prefixes[name] = urljoin(base, toks[i + 2].text[1:-1])
                    i += 3
                    continue
                if word == "BASE" and i + 1 < n and toks[i + 1].kind == "iri":
                    base = urljoin(base, toks[i + 1].text[1:-1])
                    i += 2
                    continue
                if word in QUERY_FORMS:
                    form = QUERY_FORMS[word]
            elif word == "FROM":
                named = i + 1 < n and toks[i + 1].kind == "word" and toks[i + 1].text.upper() == "NAMED"
                j = i + 2 if named else i + 1
                if j < n:
                    iri = _resolve(toks[j], prefixes, base)
                    if iri is not None:
                        _check_graph(iri, allowed_graph_base, text, toks[j].pos)
                        (from_named if named else from_graphs).append(iri)
                        i = j + 1
                        continue
        i += 1
    if form is None:
        raise ScanError(
            "no_query_form",
            "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue",
        )
    return QueryInfo(form=form, from_graphs=from_graphs, from_named=from_named, volatile=volatile)


def check_graph_iris(iris: list[str], allowed_graph_base: str | None) -> None:
    """The protocol's default-graph-uri / named-graph-uri obey the same rule as FROM."""
    for iri in iris:
        if not re.fullmatch(r"[^<>\"{}|^`\\\x00-\x20]+", iri) or ":" not in iri:
            raise ScanError("bad_graph_iri", f"not an absolute IRI: {iri!r}")
        _check_graph(iri, allowed_graph_base, None, None)


def _resolve(tok: _Token, prefixes: dict[str, str], base: str) -> str | None:
    if tok.kind == "iri":
        return urljoin(base, tok.text[1:-1]) if base else tok.text[1:-1]
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None  # malformed: the store's parser will say why


def _check_graph(iri: str, allowed_base: str | None, text: str | None, pos: int | None) -> None:
    if allowed_base is None or iri.startswith(allowed_base):
        return
    where = f" ({_line_col(text, pos)})" if text is not None and pos is not None else ""
    raise ScanError(
        "remote_graph_refused",
        f"graph <{iri}> is refused{where}: this endpoint queries a remote SPARQL server, which "
        f"might fetch a graph it does not hold from the web, so only graphs under <{allowed_base}> "
        "can be named",
    )
