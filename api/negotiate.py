"""Content negotiation for /sparql: an Accept header (or `format=`) → one result format.

SPARQL clients send long Accept lists (SPARQLWrapper's JSON request names four types); the answer
is the supported type with the highest q-value, ties broken by the client's order, and the
query form's default for `*/*`. Nothing here knows HTTP frameworks, so it is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultFormat:
    name: str  # json, xml, csv, tsv | turtle, ntriples, jsonld, rdfxml
    media_type: str  # what the response's Content-Type says


RESULTS_JSON = ResultFormat("json", "application/sparql-results+json")
RESULTS_XML = ResultFormat("xml", "application/sparql-results+xml")
RESULTS_CSV = ResultFormat("csv", "text/csv")
RESULTS_TSV = ResultFormat("tsv", "text/tab-separated-values")
TURTLE = ResultFormat("turtle", "text/turtle")
NTRIPLES = ResultFormat("ntriples", "application/n-triples")
JSONLD = ResultFormat("jsonld", "application/ld+json")
RDFXML = ResultFormat("rdfxml", "application/rdf+xml")

# media type → format, per kind of result; the first entry is the default
SOLUTION_TYPES: dict[str, ResultFormat] = {
    "application/sparql-results+json": RESULTS_JSON,
    "application/json": RESULTS_JSON,
    "application/sparql-results+xml": RESULTS_XML,
    "application/xml": RESULTS_XML,
    "text/csv": RESULTS_CSV,  # before text/xml: `text/*` asks for text, i.e. CSV
    "text/tab-separated-values": RESULTS_TSV,
    "text/xml": RESULTS_XML,
}
GRAPH_TYPES: dict[str, ResultFormat] = {
    "text/turtle": TURTLE,
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "application/n-triples": NTRIPLES,
    "text/plain": NTRIPLES,
    "application/ld+json": JSONLD,
    "application/json": JSONLD,
    "application/rdf+xml": RDFXML,
    "application/xml": RDFXML,
    "text/xml": RDFXML,
}
# `format=` short names (the query page and curl users)
SOLUTION_NAMES = {"json": RESULTS_JSON, "xml": RESULTS_XML, "csv": RESULTS_CSV, "tsv": RESULTS_TSV}
GRAPH_NAMES = {
    "turtle": TURTLE,
    "ttl": TURTLE,
    "ntriples": NTRIPLES,
    "nt": NTRIPLES,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "json": JSONLD,
    "rdfxml": RDFXML,
    "xml": RDFXML,
}


class NotAcceptable(ValueError):
    """No supported format satisfies the request; the message lists what is available."""


def _parse_accept(header: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry; malformed q-values count as q=1."""
    out: list[tuple[str, float, int]] = []
    for pos, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 1.0
        out.append((media, q, pos))
    return out


def choose(accept: str | None, *, graph: bool, format_param: str | None = None) -> ResultFormat:
    """The format to answer with; raises `NotAcceptable` when nothing offered fits."""
    table = GRAPH_TYPES if graph else SOLUTION_TYPES
    kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
    offered = sorted({f.media_type for f in table.values()})
    if format_param:
        names = GRAPH_NAMES if graph else SOLUTION_NAMES
        key = format_param.strip().lower()
        if key in names:
            return names[key]
        if key in table:
            return table[key]
        raise NotAcceptable(
            f"format {format_param!r} is not available for {kind} results; "
            f"choose one of {', '.join(sorted(names))}"
        )
    default = next(iter(table.values()))
    if not accept or not accept.strip():
        return default
    best: tuple[float, int, int, ResultFormat] | None = None
    for media, q, pos in _parse_accept(accept):
        if q <= 0:
            continue
        if media in ("*/*", "*"):
            candidate, specificity = default, 0
        elif media.endswith("/*"):
            major = media[:-1]
            match = [f for t, f in table.items() if t.startswith(major)]
            if not match:
                continue
            candidate, specificity = (default if default.media_type.startswith(major) else match[0]), 1
        elif media in table:
            candidate, specificity = table[media], 2
        else:
            continue
        ranked = (q, specificity, -pos, candidate)
        if best is None or ranked[:3] > best[:3]:
            best = ranked
    if best is None:
        raise NotAcceptable(
            f"cannot produce {accept.strip()!r} for {kind} results; acceptable types: {', '.join(offered)}"
        )
    return best[3]
