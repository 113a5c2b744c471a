"""A `Repo` over any SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...).

Where a graph outgrows one machine, edukg talks to an existing triple store server through the
plain SPARQL 1.1 Protocol (query + update endpoints, Graph Store Protocol where present), so the
same CLI and API run unchanged against it and many ingest workers can write to one server.

Spec strings (EDUKG_STORE / --store), options after commas:

    sparql:QUERY_URL[,update=URL][,gsp=URL][,union=MODE][,timeout=S][,connect_timeout=S][,retries=N]
    oxigraph-server:BASE_URL[,...same options]   # = BASE/query, BASE/update, BASE/store, union=oxigraph

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

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import BadQuery, BadSpec, StoreError
from kg.store.base import QueryResult, Repo
from kg.store.oxigraph import DUMP_FORMATS as OX_DUMP_FORMATS
from kg.store.oxigraph import OxigraphRepo
from kg.store.results import materialise
from kg.store.sparql_text import replace_graph_update, term_sparql
from ontology.namespace import PREFIXES

SPEC_PREFIXES = ("sparql:", "sparql+", "http://", "https://", "oxigraph-server:")

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


def is_remote_spec(spec: str) -> bool:
    """Whether `spec` names a remote SPARQL server (the dispatch test of `open_repo`)."""
    return spec.startswith(SPEC_PREFIXES)


def parse_spec(spec: str) -> RemoteSpec:
    """Parse `sparql:URL,key=value,...`, `oxigraph-server:BASE,...`, `sparql+http(s)://...` or a
    bare `http(s)://QUERY_URL,...`."""
    spec = spec.strip()
    if spec.startswith(("http://", "https://")):
        scheme, rest = "sparql", spec
    elif spec.startswith("sparql+"):
        scheme, rest = "sparql", spec.removeprefix("sparql+")
    else:
        scheme, _, rest = spec.partition(":")
    if scheme not in ("sparql", "oxigraph-server") or not rest:
        raise BadSpec(f"not a remote store spec: {spec!r} (expected sparql:URL or oxigraph-server:URL)")
    head, options = _split_options(rest)
    url = _check_url(head, spec)
    if scheme == "oxigraph-server":
        base = url.rstrip("/")
        result = RemoteSpec(f"{base}/query", f"{base}/update", f"{base}/store", union="oxigraph")
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
    except ValueError as err:
        raise BadSpec(f"bad option {key}={value!r} in store spec {text!r}: {err}") from None
    raise BadSpec(
        f"unknown option {key!r} in store spec {text!r} "
        "(known: update, gsp, union, timeout, connect_timeout, retries, check)"
    )


def _check_url(url: str, text: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadSpec(f"store spec {text!r}: {url!r} is not an http(s) URL")
    return url


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
        self._client = httpx.Client(
            timeout=httpx.Timeout(spec.timeout, connect=spec.connect_timeout),
            follow_redirects=True,
            headers={"User-Agent": "edukg"},
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
        form: list[tuple[str, str]] = [("query", sparql)]
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
        response = self._send("query", self.spec.query_url, form=form, headers={"Accept": QUERY_ACCEPT})
        return self._parse_result(response)

    def update(self, sparql_update: str) -> None:
        self._post_update(sparql_update)

    def replace_graph(self, graph: str, triples: Graph) -> None:
        try:
            text = replace_graph_update(graph, triples)
        except (ValueError, TypeError) as err:
            raise BadQuery(f"cannot write graph {graph}: {err}") from None
        self._post_update(text)

    def drop_graph(self, graph: str) -> None:
        try:
            text = replace_graph_update(graph, [])
        except ValueError as err:
            raise BadQuery(f"cannot drop graph {graph}: {err}") from None
        self._post_update(text)

    def named_graphs(self) -> list[str]:
        result = self._raw_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
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
        return f"RemoteRepo({_public_url(self.spec.query_url)!r}, union={self.spec.union!r})"

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
        response = self._send(
            "query", self.spec.query_url, form=[("query", sparql)], headers={"Accept": RESULTS_JSON}
        )
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
            detail = " ".join(response.text.split())[:300] or response.reason_phrase
            message = f"SPARQL server at {shown} refused the {what}: HTTP {response.status_code}: {detail}"
            if response.status_code in (400, 422):
                raise BadQuery(message)
            raise StoreError(message)
        return response

    def _parse_result(self, response: httpx.Response) -> QueryResult:
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        shown = _public_url(str(response.request.url))
        try:
            if ctype in (RESULTS_JSON, "application/json"):  # pyoxigraph's reader, kg's one conversion
                return materialise(ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON))
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
        store.extend(
            ox.Quad(
                _to_ox(row["s"], bnodes),
                _to_ox(row["p"], bnodes),
                _to_ox(row["o"], bnodes),
                _to_ox(row["g"], bnodes) if "g" in row else ox.DefaultGraph(),
            )
            for row in result.rows
        )

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


def _to_ox(term: Node, bnodes: dict[str, ox.BlankNode]) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return bnodes.setdefault(str(term), ox.BlankNode())
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store term {term!r}")
