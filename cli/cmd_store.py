"""Store commands: `edukg query | export | stats | validate | remove`.

Each command builds Settings once (EDUKG_* environment, `--store` overrides), opens the store,
and prints rich tables for people or plain machine formats (json, csv, RDF) for pipes.
Read-only commands open an on-disk store read-only, so they work while a server holds it.
Errors are one line on stderr; exit 2 for bad usage/store, 1 for "not found"/"does not conform".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rdflib import BNode, URIRef
from rdflib.term import Node
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.errors import KGError, StoreError
from kg.service.settings import Settings
from kg.store.base import QueryResult, Repo
from ontology.namespace import ARTICLE, ID, PREFIXES

# display-only abbreviations for long edukg IRIs in tables
DISPLAY_PREFIXES = {**PREFIXES, "id": str(ID), "article": str(ARTICLE)}

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", help="Store spec: oxigraph:PATH, memory, or a SPARQL endpoint (default EDUKG_STORE)."
    ),
]
RDF_EXPORTS = ("turtle", "trig", "nquads", "jsonld")
NETWORK_EXPORTS = ("graphml", "gexf")

err_console = Console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[red]error[/red]: {escape(message)}", highlight=False)
    return typer.Exit(code)


def open_store(store: str | None, *, read_only: bool) -> Repo:
    """The store named by --store or the settings; read-only when possible for reads."""
    from kg.store import open_repo

    spec = store if store is not None else Settings().store
    if read_only and spec.startswith("oxigraph:"):
        path = Path(spec.removeprefix("oxigraph:"))
        if path.exists():
            return open_repo(spec, read_only=True)
        # opening it read-write would create an empty store and answer "0 rows": a misspelt
        # path must not look like an empty graph
        raise StoreError(
            f"no store at {path}: check --store (or EDUKG_STORE); `edukg ingest` creates a store"
        )
    return open_repo(spec)


def _short(term: Node | None) -> str:
    """A term for people: prefixed IRIs, plain literal text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in DISPLAY_PREFIXES.items():
            if text.startswith(ns):
                return f"{prefix}:{text[len(ns) :]}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def render_table(result: QueryResult, console: Console) -> None:
    if result.kind == "ask":
        sys.stdout.write(("true" if result.boolean else "false") + "\n")
        return
    if result.kind == "graph":
        assert result.graph is not None
        text = result.graph.serialize(format="turtle")
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    table = Table(show_lines=False, header_style="bold")
    for var in result.vars:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        table.add_row(*(escape(_short(row.get(v))) for v in result.vars))
    console.print(table)
    console.print(f"{len(result.rows)} row(s)", style="dim")


def _refuse_update(text: str) -> bool:
    """`edukg query` runs queries only; say so for an update instead of a parser's complaint.
    Returns whether the query builds a graph (CONSTRUCT/DESCRIBE)."""
    from api.sparql_scan import ScanError, scan_query

    try:
        return scan_query(text).returns_graph
    except ScanError as err:
        if err.code == "update_refused":
            keyword = err.message.split("(", 1)[1].split(")", 1)[0] if "(" in err.message else "update"
            raise _fail(
                f"SPARQL Update ({keyword}) is not run: `edukg query` is read-only; add articles with "
                "`edukg ingest`, drop one with `edukg remove`"
            ) from None
        # anything else (empty, no query form) the store's parser reports below
        return False


def _readable_syntax_error(text: str, message: str) -> str:
    from api.sparql_syntax import explain

    return explain(text, message) or message


def _parse_params(values: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--param needs NAME=VALUE, got {item!r}")
        params[name.strip()] = value
    return params


def register(app: typer.Typer) -> None:
    @app.command("query")
    def query_cmd(
        sparql: Annotated[str | None, typer.Argument(help="SPARQL query text.")] = None,
        file: Annotated[
            Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")
        ] = None,
        example: Annotated[
            str | None, typer.Option("--example", "-e", help="Run a shipped example query (see --list).")
        ] = None,
        param: Annotated[
            list[str] | None,
            typer.Option("--param", "-p", help="NAME=VALUE for an example query's parameter."),
        ] = None,
        list_examples: Annotated[bool, typer.Option("--list", help="List the example queries.")] = False,
        fmt: Annotated[str, typer.Option("--format", help="table | json | csv")] = "table",
        store: StoreOption = None,
    ) -> None:
        """Run a read-only SPARQL query over the union of all article graphs."""
        from kg.examples import get_query, list_queries

        console = Console()
        if list_examples:
            table = Table("name", "title", "parameters", header_style="bold")
            for q in list_queries():
                table.add_row(q.name, q.title, ", ".join(f"{p.name}={p.default!r}" for p in q.params))
            console.print(table)
            return
        if fmt not in ("table", "json", "csv"):
            raise _fail(f"unknown format {fmt!r}: use table, json or csv")
        sources = [s for s in (sparql, file, example) if s is not None]
        if len(sources) != 1:
            raise _fail("give exactly one of: a query, --file FILE, --example NAME")
        text = ""
        try:
            if file is not None:
                try:
                    text = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as err:
                    raise _fail(f"cannot read {file}: {err}") from None
            elif example is not None:
                text = get_query(example).render(**_parse_params(param or []))
            else:
                assert sparql is not None
                text = sparql
            returns_graph = _refuse_update(text)
            repo = open_store(store, read_only=True)
            try:
                if fmt == "table":
                    result = repo.query(text)
                else:  # the bytes /sparql answers in the same format
                    wire = {"json": "jsonld", "csv": "ntriples"}[fmt] if returns_graph else fmt
                    _, body = repo.query_bytes(text, wire)
            finally:
                repo.close()
        except KGError as err:
            message = _readable_syntax_error(text, str(err)) if err.code == "bad_query" else str(err)
            raise _fail(message) from None
        if fmt == "table":
            render_table(result, console)
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()

    @app.command("export")
    def export_cmd(
        fmt: Annotated[
            str, typer.Option("--format", help="turtle | trig | nquads | jsonld | graphml | gexf")
        ] = "trig",
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
        ] = None,
        store: StoreOption = None,
    ) -> None:
        """Export the store as RDF (trig, nquads, jsonld keep one graph per article; turtle is
        the union) or the organisation network for Gephi/yEd (graphml, gexf)."""
        fmt = fmt.lower()
        if fmt not in RDF_EXPORTS + NETWORK_EXPORTS:
            raise _fail(f"unknown export format {fmt!r}: use {', '.join(RDF_EXPORTS + NETWORK_EXPORTS)}")
        try:
            repo = open_store(store, read_only=True)
            try:
                if fmt in NETWORK_EXPORTS:
                    from kg.analytics import export_network  # another module; imported only when needed

                    data = export_network(repo, fmt)
                else:
                    data = repo.dump(fmt)
            finally:
                repo.close()
        except KGError as err:
            raise _fail(str(err)) from None
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            try:
                output.write_bytes(data)
            except OSError as err:
                raise _fail(f"cannot write {output}: {err}") from None
            err_console.print(f"wrote {len(data):,} bytes to {output}")

    @app.command("stats")
    def stats_cmd(
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
        store: StoreOption = None,
    ) -> None:
        """Counts: quads, articles, entities by type, relations by predicate."""
        from kg.stats import store_stats

        try:
            repo = open_store(store, read_only=True)
            try:
                stats = store_stats(repo)
            finally:
                repo.close()
        except KGError as err:
            raise _fail(str(err)) from None
        if as_json:
            sys.stdout.write(json.dumps(stats.to_json()) + "\n")
            return
        console = Console()
        table = Table("", "count", header_style="bold", title="edukg store")
        for label, value in (
            ("quads", stats.quads),
            ("distinct triples", stats.triples),
            ("named graphs", stats.graphs),
            ("articles", stats.articles),
            ("entities", stats.entities),
            ("evidence nodes", stats.evidence),
        ):
            table.add_row(label, f"{value:,}")
        for name, value in stats.entities_by_type.items():
            table.add_row(f"  {name}", f"{value:,}")
        for name, value in stats.relations_by_predicate.items():
            table.add_row(f"  {name}", f"{value:,}")
        console.print(table)

    @app.command("validate")
    def validate_cmd(
        limit: Annotated[int, typer.Option(help="Show at most this many violations.")] = 50,
        store: StoreOption = None,
    ) -> None:
        """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 if it does not conform."""
        from kg.validate import validate_repo

        try:
            repo = open_store(store, read_only=True)
            try:
                report = validate_repo(repo)
            finally:
                repo.close()
        except KGError as err:
            raise _fail(str(err)) from None
        console = Console()
        if report.conforms:
            console.print(
                f"[green]conforms[/green]: {report.triples:,} triples checked against the SHACL shapes"
            )
            return
        table = Table("severity", "focus", "path", "message", header_style="bold", show_lines=False)
        for v in report.violations[:limit]:
            table.add_row(
                v.severity,
                _short(URIRef(v.focus)),
                _short(URIRef(v.path)) if v.path else "",
                escape(v.message),
            )
        console.print(table)
        more = len(report.violations) - limit
        tail = f" (first {limit} shown)" if more > 0 else ""
        console.print(f"[red]does not conform[/red]: {len(report.violations)} violation(s){tail}")
        raise typer.Exit(1)

    @app.command("remove")
    def remove_cmd(
        article: Annotated[str, typer.Argument(help="Article IRI, content-hash prefix, or source path/URL.")],
        store: StoreOption = None,
    ) -> None:
        """Drop one article's graph and whatever only it asserted."""
        from kg.errors import NotFound
        from kg.ingest import remove_article

        try:
            repo = open_store(store, read_only=False)
        except KGError as err:
            raise _fail(str(err)) from None
        try:
            try:
                outcome = remove_article(repo, article)
            except NotFound:
                path = Path(article)
                if not path.is_file():
                    raise
                from extract.model import content_hash

                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    raise NotFound(f"no article {article!r} in the store") from None
                outcome = remove_article(repo, content_hash(text))
        except StoreError as err:
            raise _fail(str(err)) from None
        except NotFound as err:
            raise _fail(str(err), 1) from None
        except KGError as err:
            raise _fail(str(err)) from None
        finally:
            repo.close()
        for iri in outcome.removed:
            typer.echo(f"removed {iri}")
        typer.echo(
            f"{outcome.triples} triple(s) dropped, {outcome.entities_gone} entit(ies) no longer in any article"
        )
