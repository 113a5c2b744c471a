"""A `Repo` over any SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...).

Where a graph outgrows one machine, edukg talks to an existing triple store server through the
plain SPARQL 1.1 Protocol (query + update endpoints, Graph Store Protocol where present), so the
same CLI and API run unchanged against it and many ingest workers can write to one server.

Spec strings (EDUKG_STORE / --store), options after commas:

    sparql:QUERY_URL[,update=URL][,gsp=URL][,union=MODE][,timeout=S][,connect_timeout=S][,retries=N]
    oxigraph-server:BASE_URL[,...same options]   # = BASE/query, BASE/update, BASE/store, union=oxigraph
    virtuoso:BASE_URL[,...same options]          # = BASE/sparql, BASE/sparql-auth, dialect=virtuoso

Credentials come only from the environment (EDUKG_STORE_USER, EDUKG_STORE_PASSWORD): a URL
holding user:password is refused, because a spec ends up in process lists, shell histories and
logs. Server-family quirks live in one `Dialect` object per family (bottom of this module).

Union default graph. edukg keeps one named graph per article and expects a query without a
dataset to see all of them. Servers differ in what their default graph is, so `union=` says how
to get it (see docs/remote.md):

- `server` (default for `sparql:`): the server's default graph already is the union of all named
  graphs (GraphDB, Virtuoso, Neptune by default; Fuseki/TDB2 with `tdb2:unionDefaultGraph true`;
  `oxigraph serve --union-default-graph`). Checked once at open when the store is non-empty.
- `oxigraph` (default for `oxigraph-server:`): send Oxigraph's `union-default-graph` protocol
  parameter with each query, so a stock `oxigraph serve` needs no flag.
- `graph:IRI`: pass `default-graph-uri=IRI`, for servers naming their union graph (Jena's
  `urn:x-arq:UnionGraph`).
- `explicit`: list the named graphs and pass them all as `default-graph-uri` (works anywhere,
  costs one listing per query; for small stores only).

Atomicity: `replace_graph` is ONE update request `DROP SILENT GRAPH <g> ; INSERT DATA {...}`,
which SPARQL servers run as one transaction, so readers never see half an article and a crash
mid-request leaves the old graph. Every failure (connection refused, timeout, HTTP error, a
truncated body) becomes a one-line `StoreError`/`BadQuery` naming the URL.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import BadQuery, BadSpec, StoreError
from kg.store.base import QueryResult, Repo
from kg.store.oxigraph import DUMP_FORMATS as OX_DUMP_FORMATS
from kg.store.oxigraph import OxigraphRepo
from kg.store.sparql_text import replace_graph_update, term_sparql
from kg.store.terms import to_ox
from ontology.namespace import PREFIXES

SPEC_PREFIXES = ("sparql:", "sparql+", "http://", "https://", "oxigraph-server:", "virtuoso:")
USER_ENV, PASSWORD_ENV = "EDUKG_STORE_USER", "EDUKG_STORE_PASSWORD"

RESULTS_JSON = "application/sparql-results+json"
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
# RDF media types a server may answer a CONSTRUCT/DESCRIBE with → rdflib parser names
GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
QUAD_TYPES = {"application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}
EMPTY_GRAPH = "urn:edukg:no-graph"  # stands for an empty graph list in a protocol dataset

T = TypeVar("T")


# ---------------------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class RemoteSpec:
    """Where the server is and how to talk to it, parsed from a spec string."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    union: str = "server"  # "server" | "oxigraph" | "explicit" | "graph:IRI"
    timeout: float = 60.0  # seconds to wait for an answer (read/write)
    connect_timeout: float = 5.0  # seconds to wait for a connection
    retries: int = 0  # extra attempts when the connection is refused (never re-sent once delivered)
    check: bool = True  # probe reachability (and union semantics) when opening
    dialect: str = "generic"  # "generic" | "virtuoso": see DIALECTS
    auth: str | None = None  # "basic" | "digest"; None: the dialect's choice


def is_remote_spec(spec: str) -> bool:
    """Whether `spec` names a remote SPARQL server (the dispatch test of `open_repo`)."""
    return spec.startswith(SPEC_PREFIXES)


def parse_spec(spec: str) -> RemoteSpec:
    """Parse `sparql:URL,key=value,...`, `oxigraph-server:BASE,...`, `sparql+http(s)://...` or a
    bare `http(s)://QUERY_URL,...`."""
    spec = spec.strip()
    if _USERINFO.search(spec):  # checked first: no later message may quote the secret
        raise BadSpec(
            f"credentials in a store URL are refused (they would show in process lists and logs): "
            f"set {USER_ENV} and {PASSWORD_ENV} instead"
        )
    if spec.startswith(("http://", "https://")):
        scheme, rest = "sparql", spec
    elif spec.startswith("sparql+"):
        scheme, rest = "sparql", spec.removeprefix("sparql+")
    else:
        scheme, _, rest = spec.partition(":")
    if scheme not in ("sparql", "oxigraph-server", "virtuoso") or not rest:
        raise BadSpec(
            f"not a remote store spec: {spec!r} (expected sparql:URL, oxigraph-server:URL or virtuoso:URL)"
        )
    head, options = _split_options(rest)
    url = _check_url(head, spec)
    if scheme == "oxigraph-server":
        base = url.rstrip("/")
        result = RemoteSpec(f"{base}/query", f"{base}/update", f"{base}/store", union="oxigraph")
    elif scheme == "virtuoso":
        base = url.rstrip("/")
        result = RemoteSpec(f"{base}/sparql", f"{base}/sparql-auth", None, dialect="virtuoso")
    else:
        result = RemoteSpec(url)
    for key, value in options.items():
        result = _apply_option(result, key, value, spec)
    return result


def _split_options(rest: str) -> tuple[str, dict[str, str]]:
    """Split at commas that start a `key=` option, so URLs holding commas survive."""
    parts = rest.split(",")
    head = [parts[0]]
    options: dict[str, str] = {}
    last: str | None = None
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if eq and key.strip().isidentifier():
            last = key.strip()
            options[last] = value.strip()
        elif last is None:
            head.append(part)
        else:
            options[last] += "," + part
    return ",".join(head).strip(), options


def _apply_option(spec: RemoteSpec, key: str, value: str, text: str) -> RemoteSpec:
    try:
        if key in ("update", "gsp", "query"):
            field = {"update": "update_url", "gsp": "gsp_url", "query": "query_url"}[key]
            url: Any = _check_url(value, text) if value else None
            return replace(spec, **{field: url})
        if key == "union":
            if value not in ("server", "oxigraph", "explicit") and not value.startswith("graph:"):
                raise ValueError("union must be server, oxigraph, explicit or graph:IRI")
            return replace(spec, union=value)
        if key in ("timeout", "connect_timeout"):
            seconds = float(value)
            if seconds <= 0:
                raise ValueError(f"{key} must be > 0")
            return replace(spec, **{key: seconds})  # type: ignore[arg-type]
        if key == "retries":
            return replace(spec, retries=max(0, int(value)))
        if key == "check":
            return replace(spec, check=value.lower() not in ("0", "false", "no", "off"))
        if key == "dialect":
            if value not in DIALECTS:
                raise ValueError(f"dialect must be one of {', '.join(sorted(DIALECTS))}")
            return replace(spec, dialect=value)
        if key == "auth":
            if value not in ("basic", "digest"):
                raise ValueError("auth must be basic or digest")
            return replace(spec, auth=value)
    except ValueError as err:
        raise BadSpec(f"bad option {key}={value!r} in store spec {text!r}: {err}") from None
    raise BadSpec(
        f"unknown option {key!r} in store spec {text!r} "
        "(known: update, gsp, union, timeout, connect_timeout, retries, check, dialect, auth)"
    )


def _check_url(url: str, text: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadSpec(f"store spec {text!r}: {url!r} is not an http(s) URL")
    return url


_USERINFO = re.compile(r"://[^/?#,]*@")


def _public_url(url: str) -> str:
    """The URL without user:password, for error messages."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


# ---------------------------------------------------------------------------------------- repo


class RemoteRepo(Repo):
    """A `Repo` backed by a SPARQL 1.1 server; stateless apart from a pooled HTTP client."""

    def __init__(self, spec: RemoteSpec) -> None:
        self.spec = spec
        self.dialect = DIALECTS[spec.dialect]
        self._client = httpx.Client(
            timeout=httpx.Timeout(spec.timeout, connect=spec.connect_timeout),
            follow_redirects=True,
            headers={"User-Agent": "edukg"},
            auth=_auth_from_env(spec.auth or self.dialect.auth),
        )
        self._default_is_union: bool | None = None  # learnt from the data: _plain_default_is_union
        if spec.check:
            self._probe()

    # -- Repo interface ------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        form = [("query", self.dialect.query_text(sparql)), *self.dialect.query_params(self.spec.timeout)]
        if default_graphs is None and named_graphs is None:
            form += self._union_params()
        else:
            # Match the embedded store: a side left out keeps its default (the union / all named
            # graphs), whereas the bare SPARQL protocol would make that side empty.
            everything = self.named_graphs() if default_graphs is None or named_graphs is None else []
            defaults = list(default_graphs) if default_graphs is not None else everything
            named = list(named_graphs) if named_graphs is not None else everything
            # an empty list still means "this explicit dataset": name a graph nobody uses
            form += [("default-graph-uri", g) for g in defaults or [EMPTY_GRAPH]]
            form += [("named-graph-uri", g) for g in named or [EMPTY_GRAPH]]
        accept = self.dialect.accept(sparql) or QUERY_ACCEPT
        response = self._send("query", self.spec.query_url, form=form, headers={"Accept": accept})
        return self._parse_result(response)

    def update(self, sparql_update: str) -> None:
        self._post_update(self.dialect.update_text(sparql_update))

    def replace_graph(self, graph: str, triples: Graph) -> None:
        try:
            text = replace_graph_update(graph, triples)
        except (ValueError, TypeError) as err:
            raise BadQuery(f"cannot write graph {graph}: {err}") from None
        self._post_update(self.dialect.update_text(text))

    def drop_graph(self, graph: str) -> None:
        try:
            text = replace_graph_update(graph, [])
        except ValueError as err:
            raise BadQuery(f"cannot drop graph {graph}: {err}") from None
        self._post_update(text)

    def named_graphs(self) -> list[str]:
        result = self._raw_query(self.dialect.graphs_query)
        return sorted(str(row["g"]) for row in result.rows if isinstance(row.get("g"), URIRef))

    def has_graph(self, graph: str) -> bool:
        """Whether a named graph holds any triple (the batch pipeline's cheap "known?" test)."""
        try:
            pattern = f"GRAPH {term_sparql(URIRef(graph))} {{ ?s ?p ?o }}"
        except ValueError as err:
            raise BadQuery(f"bad graph IRI {graph!r}: {err}") from None
        return bool(self._raw_query(f"ASK {{ {pattern} }}").boolean)

    def dump(self, format: str) -> bytes:
        # Copy the dataset into an in-memory embedded store and let it serialise, so a dump
        # is byte-for-byte the same format (prefixes, union for triple formats) on every store.
        local = OxigraphRepo(None)
        if format not in OX_DUMP_FORMATS:
            return local.dump(format)  # raises UnsupportedFormat with the list of formats
        self._fetch_dataset(local.store)
        return local.dump(format)

    def __len__(self) -> int:
        result = self._raw_query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._all_quads_pattern()} }}")
        value = result.rows[0].get("n") if result.rows else None
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def close(self) -> None:
        self._client.close()

    def __repr__(self) -> str:
        return (
            f"RemoteRepo({_public_url(self.spec.query_url)!r}, union={self.spec.union!r}, "
            f"dialect={self.spec.dialect!r})"
        )

    # -- helpers -------------------------------------------------------------------------

    def _union_params(self) -> list[tuple[str, str]]:
        union = self.spec.union
        if union == "oxigraph":
            return [("union-default-graph", "")]
        if union.startswith("graph:"):
            return [("default-graph-uri", union[len("graph:") :])]
        if union == "explicit":
            graphs = self.named_graphs()
            return [("default-graph-uri", g) for g in graphs or [EMPTY_GRAPH]] + [
                ("named-graph-uri", g) for g in graphs or [EMPTY_GRAPH]
            ]
        return []

    def _raw_query(self, sparql: str) -> QueryResult:
        """A query against the server's own dataset (no union parameters)."""
        form = [("query", self.dialect.query_text(sparql)), *self.dialect.query_params(self.spec.timeout)]
        response = self._send("query", self.spec.query_url, form=form, headers={"Accept": RESULTS_JSON})
        return self._parse_result(response)

    def _post_update(self, text: str) -> None:
        if not self.spec.update_url:
            raise StoreError(
                f"the SPARQL server at {_public_url(self.spec.query_url)} is read-only here: "
                "no update endpoint in the store spec (add ,update=URL)"
            )
        self._send(
            "update",
            self.spec.update_url,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def _send(self, what: str, url: str, **kwargs: Any) -> httpx.Response:
        """POST with clear one-line errors; retries only when no connection was made."""
        shown = _public_url(url)

        if "form" in kwargs:  # repeated keys (default-graph-uri) need a hand-made body
            kwargs["content"] = urlencode(kwargs.pop("form")).encode("ascii")
            kwargs["headers"] = {**kwargs["headers"], "Content-Type": FORM_TYPE}

        def attempt() -> httpx.Response:
            return self._client.post(url, **kwargs)

        try:
            response = _retry_connect(attempt, self.spec.retries)
        except httpx.ConnectTimeout:
            raise StoreError(
                f"cannot reach SPARQL server at {shown}: no connection within {self.spec.connect_timeout:g} s"
            ) from None
        except httpx.ConnectError as err:
            raise StoreError(f"cannot reach SPARQL server at {shown}: {_reason(err)}") from None
        except httpx.TimeoutException:
            raise StoreError(
                f"SPARQL server at {shown} gave no answer to the {what} within {self.spec.timeout:g} s "
                "(raise timeout= in the store spec)"
            ) from None
        except httpx.HTTPError as err:
            raise StoreError(
                f"lost the connection to SPARQL server at {shown} during the {what}: {_reason(err)}"
            ) from None
        if response.status_code >= 400:
            detail = " ".join(self.dialect.error_text(response.text).split())[:300] or response.reason_phrase
            message = f"SPARQL server at {shown} refused the {what}: HTTP {response.status_code}: {detail}"
            if response.status_code in (400, 422):
                raise BadQuery(message)
            if response.status_code == 401:
                raise StoreError(
                    f"SPARQL server at {shown} refused the {what}: HTTP 401 unauthorised "
                    f"(set {USER_ENV} and {PASSWORD_ENV} to a user allowed to do it)"
                )
            raise StoreError(message)
        problem = self.dialect.incomplete(response)
        if problem:
            raise StoreError(f"SPARQL server at {shown} {problem}")
        return response

    def _parse_result(self, response: httpx.Response) -> QueryResult:
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        shown = _public_url(str(response.request.url))
        try:
            if ctype in (RESULTS_JSON, "application/json"):
                return _parse_json_results(json.loads(response.content))
            if ctype in GRAPH_TYPES:
                graph = Graph()
                graph.parse(data=response.content, format=GRAPH_TYPES[ctype])
                for prefix, iri in PREFIXES.items():
                    graph.bind(prefix, iri)
                return QueryResult(kind="graph", graph=graph)
        except Exception as err:  # noqa: BLE001 - any parse failure is a broken answer
            raise StoreError(
                f"SPARQL server at {shown} sent a broken {ctype} answer "
                f"(cut off by a server timeout?): {' '.join(str(err).split())[:200]}"
            ) from None
        raise StoreError(f"SPARQL server at {shown} answered with unsupported content type {ctype!r}")

    def _fetch_dataset(self, store: ox.Store) -> None:
        """All quads into `store`: one GSP GET where the server dumps datasets, else a SELECT."""
        if self.spec.gsp_url:
            response = self._send_get(self.spec.gsp_url, "application/n-quads, application/trig;q=0.9")
            ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if response.status_code < 400 and ctype in QUAD_TYPES:
                try:
                    store.load(response.content, format=QUAD_TYPES[ctype])
                    return
                except (SyntaxError, ValueError) as err:
                    raise StoreError(f"SPARQL server sent a broken dataset dump: {err}") from None
        result = self._raw_query(f"SELECT ?s ?p ?o ?g WHERE {{ {self._all_quads_pattern()} }}")
        bnodes: dict[str, ox.BlankNode] = {}
        try:
            store.extend(_quad(row, bnodes) for row in result.rows)
        except TypeError as err:  # a term kind pyoxigraph cannot store
            raise StoreError(f"cannot store a term the SPARQL server sent: {err}") from None

    def _send_get(self, url: str, accept: str) -> httpx.Response:
        try:
            return _retry_connect(
                lambda: self._client.get(url, headers={"Accept": accept}), self.spec.retries
            )
        except httpx.HTTPError as err:
            raise StoreError(f"cannot reach SPARQL server at {_public_url(url)}: {_reason(err)}") from None

    def _probe(self) -> None:
        """Fail at open, not at the first article: is the server there, and is the union right?"""
        self._raw_query("ASK {}")
        if self.spec.union == "server" and self._plain_default_is_union() is False:
            raise StoreError(
                f"the default graph of the SPARQL server at {_public_url(self.spec.query_url)} is not "
                "the union of its named graphs: start it with union default graph on (oxigraph serve "
                "--union-default-graph; Fuseki tdb2:unionDefaultGraph true) or add ,union=oxigraph / "
                ",union=graph:urn:x-arq:UnionGraph / ,union=explicit to the store spec"
            )

    def _plain_default_is_union(self) -> bool | None:
        """Whether the server's own default graph (no dataset parameters) shows the named graphs'
        triples; None while there is no named-graph triple to test with. Counting and dumping
        need it so as not to count every quad twice on union-default-graph servers."""
        if self._default_is_union is not None:
            return self._default_is_union
        sample = self._raw_query(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && !isBlank(?o)) } LIMIT 1"
        )
        if not sample.rows:
            return None
        row = sample.rows[0]
        ask = f"ASK {{ {term_sparql(row['s'])} {term_sparql(row['p'])} {term_sparql(row['o'])} }}"
        self._default_is_union = bool(self._raw_query(ask).boolean)
        return self._default_is_union

    def _all_quads_pattern(self) -> str:
        """A WHERE body matching every quad once: the plain default graph only where it is not
        itself the union of the named graphs."""
        if self._plain_default_is_union() is False or (
            self.spec.union != "server" and self._plain_default_is_union() is None
        ):
            return "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        return "GRAPH ?g { ?s ?p ?o }"


def open_remote(spec: str) -> RemoteRepo:
    """Open a remote store from its spec string (see the module docstring)."""
    return RemoteRepo(parse_spec(spec))


# ------------------------------------------------------------------------------ term helpers


def _retry_connect(attempt: Callable[[], T], retries: int) -> T:
    """Run `attempt`, again after a short pause while the connection is refused.

    Only connection failures are retried: the request never reached the server, so re-sending
    cannot apply an update twice.
    """
    for n in range(retries + 1):
        try:
            return attempt()
        except httpx.ConnectError:
            if n == retries:
                raise
            time.sleep(min(0.25 * 2**n, 5.0))
    raise AssertionError("unreachable")


def _reason(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    low = text.lower()
    if "refused" in low:
        return "connection refused"
    if "name or service not known" in low or "nodename nor servname" in low or "getaddrinfo" in low:
        return "unknown host"
    if isinstance(err, httpx.RemoteProtocolError) or "disconnected" in low or "reset" in low:
        return "connection closed by the server"
    return text


def _parse_json_results(doc: dict[str, Any]) -> QueryResult:
    """SPARQL JSON results read here, not by pyoxigraph's parser: servers name blank nodes in
    ways pyoxigraph refuses (Virtuoso's `nodeID://b123`), and each is only a fresh node here."""
    if "boolean" in doc:
        return QueryResult(kind="ask", boolean=bool(doc["boolean"]))
    variables = list(doc.get("head", {}).get("vars", []))
    bnodes: dict[str, BNode] = {}
    rows = [
        {name: _to_rdflib(value, bnodes) for name, value in binding.items()}
        for binding in doc["results"]["bindings"]
    ]
    return QueryResult(kind="select", vars=variables, rows=rows)


def _to_rdflib(value: dict[str, Any], bnodes: dict[str, BNode]) -> Node:
    kind = value["type"]
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return bnodes.setdefault(text, BNode())
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    if kind == "triple":  # RDF 1.2 triple term: rdflib has no such term; keep its text
        inner = value.get("value", {})
        parts = [_to_rdflib(inner[k], bnodes).n3() for k in ("subject", "predicate", "object")]
        return Literal("<< " + " ".join(parts) + " >>")
    raise StoreError(f"unknown RDF term type in SPARQL results: {kind!r}")


def _quad(row: dict[str, Node], bnodes: dict[str, ox.BlankNode]) -> ox.Quad:
    """One ?s ?p ?o ?g row of the server's answer as a pyoxigraph quad."""
    graph = to_ox(row["g"], bnodes) if "g" in row else ox.DefaultGraph()
    s, p, o = (to_ox(row[k], bnodes) for k in ("s", "p", "o"))
    return ox.Quad(s, p, o, graph)  # type: ignore[arg-type] # a dataset's terms fit their positions


def _auth_from_env(scheme: str) -> httpx.Auth | None:
    """HTTP credentials from EDUKG_STORE_USER / EDUKG_STORE_PASSWORD, never from the spec."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if not user and not password:
        return None
    if not user or password is None:
        raise BadSpec(f"set both {USER_ENV} and {PASSWORD_ENV} (only one is set)")
    return httpx.DigestAuth(user, password) if scheme == "digest" else httpx.BasicAuth(user, password)


# ------------------------------------------------------------------------------------ dialects


class Dialect:
    """What one server family needs beyond plain SPARQL 1.1; the generic one needs nothing."""

    name = "generic"
    auth = "basic"  # the HTTP auth scheme its update endpoint expects
    graphs_query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"

    def query_text(self, sparql: str) -> str:
        return sparql

    def query_params(self, timeout: float) -> list[tuple[str, str]]:
        return []

    def accept(self, sparql: str) -> str | None:
        """The Accept header for this query (None: QUERY_ACCEPT, the server picks by form)."""
        return None

    def update_text(self, text: str) -> str:
        return text

    def incomplete(self, response: httpx.Response) -> str | None:
        """Why a 2xx answer is not the whole answer (None when it is)."""
        return None

    def error_text(self, body: str) -> str:
        """The part of an error answer worth one line."""
        return body


# Graphs a fresh Virtuoso holds for itself (its RDF views, the LDP and OWL vocabularies, the
# service description and the DAV file system); the host is the [URIQA] DefaultHost.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://localhost:8890/sparql",
    "http://localhost:8890/DAV/",
)


class VirtuosoDialect(Dialect):
    """Virtuoso 7 (Debian's virtuoso-opensource), read from its behaviour:

    - its default graph is the union of ALL graphs, its own system graphs included, and
      `GRAPH ?g` lists those too: every query gets `DEFINE input:default-graph-exclude` and
      `input:named-graph-exclude` pragmas for them, so the store looks like embedded edukg's;
    - `INSERT DATA` refuses blank nodes (error SP031), which evidence nodes are: such blocks are
      sent as the equivalent `INSERT { … } WHERE { }` in the same request (still one transaction);
    - but with any dataset restriction (those pragmas, or a named-graph-uri) a pattern
      `GRAPH <g> { … }` over a graph that does not exist yields one empty solution (ASK says true,
      COUNT(*) says 1): a query naming a graph by a constant IRI is sent without the pragmas
      (it reads the graphs it names; its default-graph part, if any, then sees the system graphs);
    - `GRAPH ?g { }` binds no ?g, so graphs are listed from their triples;
    - it answers CONSTRUCT/DESCRIBE in the first type the Accept header offers, results JSON
      included (as s/p/o rows): those forms are sent asking for N-Triples only;
    - a `BIND("constant" AS ?v)` is not joined with the patterns after it (every binding of ?v
      in them is kept), which edukg's example queries rely on for their parameters: such BINDs
      are sent as the equivalent `VALUES ?v { "constant" }`;
    - its DESCRIBE adds the triples pointing at the resource; `sql:describe-mode "CBD"` makes
      it the concise bounded description the embedded store gives;
    - it refuses HAVING without GROUP BY (SPARQL's one implicit group), which edukg's fact
      layer uses: a `GROUP BY` on a variable no pattern binds is put in front (one group of all
      rows, as implicit grouping gives, except that no rows make no group; the same for the
      HAVING conditions edukg writes, which an empty group fails anyway);
    - its endpoint compiles INSERT DATA constants into SQL, capped at ~1,500 triples: updates
      ask for them as data (`sql:big-data-const 1`), which takes ~5,000 per request;
    - `/sparql-auth` wants HTTP Digest;
    - a `timeout` parameter (ms) makes the server itself stop a query at edukg's limit, but it then
      answers HTTP 200 with what it found so far ("anytime" results, flagged by X-SQL-State), and
      `ResultSetMaxRows` silently cuts long answers (flagged by X-SPARQL-MaxRows): both are errors
      here, never a quietly partial answer.
    """

    name = "virtuoso"
    auth = "digest"
    graphs_query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"  # `GRAPH ?g { }` binds nothing

    def __init__(self, system_graphs: Sequence[str] = VIRTUOSO_SYSTEM_GRAPHS) -> None:
        self.pragmas = "".join(
            f"DEFINE input:default-graph-exclude <{g}> DEFINE input:named-graph-exclude <{g}>\n"
            for g in system_graphs
        )

    def query_text(self, sparql: str) -> str:
        sparql = implicit_groups_made_explicit(constant_binds_as_values(sparql))
        if query_form(sparql) == "DESCRIBE":
            sparql = 'DEFINE sql:describe-mode "CBD" ' + sparql  # as Oxigraph: no incoming triples
        if _next_outside_literals(_CONSTANT_GRAPH, sparql, 0) is not None:
            return sparql  # the graph is named: nothing to hide, and the pragmas would break it
        return self.pragmas + sparql

    def query_params(self, timeout: float) -> list[tuple[str, str]]:
        # measured: an "anytime" query stops on a 2-second tick (timeout=3000 → 4.0 s, 4000 →
        # 4.1 s, anything up to 2000 → 2.1 s), so ask for the last tick before edukg gives up:
        # the server's own stop (and its flag) then arrives first, and no query runs on unwatched
        seconds = min(timeout * 0.8, timeout - 1.0)
        seconds = 2 * (seconds // 2) if seconds >= 2 else 0.5
        return [("timeout", str(int(seconds * 1000)))]

    def accept(self, sparql: str) -> str | None:
        # offered results JSON first, Virtuoso answers a CONSTRUCT with s/p/o result rows
        return "application/n-triples, text/turtle;q=0.9" if query_form(sparql) in GRAPH_FORMS else None

    def update_text(self, text: str) -> str:
        text = implicit_groups_made_explicit(text)
        if "_:" in text:
            text = insert_data_as_template(text)
        return BIG_DATA + text

    def error_text(self, body: str) -> str:
        return body.split("SPARQL query:", 1)[0]  # Virtuoso echoes the whole query after this

    def incomplete(self, response: httpx.Response) -> str | None:
        state = response.headers.get("x-sql-state", "")
        if state:
            message = " ".join(response.headers.get("x-sql-message", "").split())[:200]
            return f"stopped the query at the time limit (timeout= in the store spec; {state}: {message})"
        cap = response.headers.get("x-sparql-maxrows")
        if cap:
            return (
                f"cut the answer at {cap} rows (raise ResultSetMaxRows in the [SPARQL] section "
                "of virtuoso.ini)"
            )
        return None


# Virtuoso's endpoint compiles INSERT DATA constants into SQL code (`sql:big-data-const 0`), which
# may not exceed 10,000 lines: ~1,500 triples. As data, one request takes ~5,000 (its parser's limit).
BIG_DATA = "DEFINE sql:big-data-const 1\n"

DIALECTS: dict[str, Dialect] = {"generic": Dialect(), "virtuoso": VirtuosoDialect()}

_INSERT_DATA = re.compile(r"\bINSERT\s+DATA\s*\{", re.IGNORECASE)
_CONSTANT_GRAPH = re.compile(r"\bGRAPH\s*<", re.IGNORECASE)
_PROLOGUE = re.compile(
    r"(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s*[\w.-]*:\s*<[^>\s]*>|BASE\s*<[^>\s]*>)*", re.IGNORECASE
)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


_CONSTANT_BIND = re.compile(
    r'BIND\s*\(\s*("(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?)\s+AS\s+(\?\w+)\s*\)', re.IGNORECASE
)


def constant_binds_as_values(sparql: str) -> str:
    """`BIND("literal" AS ?v)` → `VALUES ?v { "literal" }`: the same solutions (BIND requires ?v
    unbound before it, so joining with one fixed row is all it does)."""
    out: list[str] = []
    pos = 0
    while (match := _next_outside_literals(_CONSTANT_BIND, sparql, pos)) is not None:
        out.append(sparql[pos : match.start()] + f"VALUES {match.group(2)} {{ {match.group(1)} }}")
        pos = match.end()
    return "".join(out) + sparql[pos:]


_HAVING_AFTER_WHERE = re.compile(r"\}(\s*)HAVING\b", re.IGNORECASE)
GROUP_VAR = "?edukg_all"


def implicit_groups_made_explicit(sparql: str) -> str:
    """`{ … } HAVING (…)` (no GROUP BY between) → `{ … } GROUP BY ?edukg_all HAVING (…)`."""
    out: list[str] = []
    pos = 0
    while (match := _next_outside_literals(_HAVING_AFTER_WHERE, sparql, pos)) is not None:
        out.append(sparql[pos : match.start()] + f"}} GROUP BY {GROUP_VAR}{match.group(1)}HAVING")
        pos = match.end()
    return "".join(out) + sparql[pos:]


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read after the prologue (None if unreadable)."""
    prologue = _PROLOGUE.match(sparql)
    match = _FORM.match(sparql, prologue.end() if prologue else 0)
    return match.group(1).upper() if match else None


def insert_data_as_template(text: str) -> str:
    """Every `INSERT DATA { … }` holding blank nodes split into an `INSERT DATA` of the triples
    without them and an `INSERT { … } WHERE { }` of the triples with them, in the same request.

    Same meaning (a template with no variables inserts its triples once, its blank nodes fresh
    ones, as INSERT DATA does), accepted where INSERT DATA with blank nodes is not; only the
    blank-node triples go through the template because Virtuoso compiles a template into SQL
    that may not exceed 10,000 lines (≈ 1,000 triples). The scan skips IRIs, strings and
    comments, so a brace inside a label cannot end a block early.
    """
    out: list[str] = []
    pos = 0
    while True:
        match = _next_outside_literals(_INSERT_DATA, text, pos)
        if match is None:
            out.append(text[pos:])
            return "".join(out)
        end = _block_end(text, match.end())
        body = text[match.end() : end]
        out.append(text[pos : match.start()])
        split = _split_blank_triples(body)
        if split is None:  # not edukg's one-triple-per-line layout: the whole block as a template
            out.append("INSERT {" + body + "} WHERE { }")
        else:
            plain, blank = split
            ops = ([f"INSERT DATA {{ {plain} }}"] if plain else []) + (
                [f"INSERT {{ {blank} }} WHERE {{ }}"] if blank else []
            )
            out.append(" ;\n".join(ops) or "INSERT DATA { }")
        pos = end + 1


_GRAPH_BLOCK = re.compile(r"\s*GRAPH\s*(<[^>\s]*>)\s*\{", re.IGNORECASE)
_BLANK = re.compile(r"_:")


def _split_blank_triples(body: str) -> tuple[str, str] | None:
    """`GRAPH <g> { s p o . … } …` as (blocks without blank nodes, blocks with them); None
    when the body is not a sequence of GRAPH blocks with one triple per line."""
    plain: list[str] = []
    blank: list[str] = []
    pos = 0
    while body[pos:].strip():
        head = _GRAPH_BLOCK.match(body, pos)
        if head is None:
            return None
        end = _block_end(body, head.end())
        lines = [line.strip() for line in body[head.end() : end].splitlines() if line.strip()]
        if any(not line.endswith(".") for line in lines):
            return None
        with_blank = [line for line in lines if _next_outside_literals(_BLANK, line, 0) is not None]
        without = [line for line in lines if line not in with_blank]
        for part, chosen in ((plain, without), (blank, with_blank)):
            if chosen:
                part.append(f"GRAPH {head.group(1)} {{\n" + "\n".join(chosen) + "\n}")
        pos = end + 1
    return "\n".join(plain), "\n".join(blank)


def _next_outside_literals(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """The next match of `pattern` at or after `pos` that is not inside an IRI, a string or a
    comment."""
    i = pos
    while i < len(text):
        char = text[i]
        if char in "\"'<#":
            i = _skip_token(text, i)
            continue
        match = pattern.match(text, i)
        if match:
            return match
        i += 1
    return None


def _skip_token(text: str, i: int) -> int:
    """Index after the string literal, IRI or comment starting at `i` (a lone '<' is an operator)."""
    char = text[i]
    if char == "#":
        end = text.find("\n", i)
        return len(text) if end == -1 else end + 1
    if char == "<":
        close = text.find(">", i)
        iri = text[i + 1 : close] if close != -1 else ""
        return close + 1 if close != -1 and not re.search(r"\s", iri) else i + 1
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == char:
            return j + 1
        j += 1
    return j


def _block_end(text: str, i: int) -> int:
    """Index of the '}' closing the block whose '{' ends just before `i`."""
    depth = 1
    while i < len(text):
        char = text[i]
        if char in "\"'<#":
            i = _skip_token(text, i)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise BadQuery("unbalanced braces in an INSERT DATA block")
