"""Picture and analytics commands: `edukg viz` writes an offline graph page, `edukg analyze`
prints who is central, who clusters together and how two organisations are linked.

Both only read: an on-disk store is opened read-only, so they work while a server holds it.
Errors are one line on stderr (exit 2 for bad usage or store, 1 for "not found").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.errors import KGError, NotFound
from kg.service.settings import Settings
from kg.store.base import Repo

err_console = Console(stderr=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", help="Store spec: oxigraph:PATH, memory, or a SPARQL endpoint (default EDUKG_STORE)."
    ),
]


def _open(store: str | None) -> Repo:
    from kg.store import open_repo

    spec = store if store is not None else Settings().store
    if spec.startswith("oxigraph:"):
        path = Path(spec.removeprefix("oxigraph:"))
        if not path.exists():
            raise NotFound(f"no store at {path}: ingest some articles first (edukg ingest)")
        return open_repo(spec, read_only=True)
    return open_repo(spec)


def _fail(err: KGError) -> typer.Exit:
    err_console.print(f"[red]error[/red]: {escape(err.message)}", highlight=False, soft_wrap=True)
    return typer.Exit(1 if isinstance(err, NotFound) else 2)


def viz(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="HTML file to write (opens from file://, no network).")
    ],
    entity: Annotated[
        str | None,
        typer.Option(
            "--entity", help="Draw this entity's neighbourhood: IRI, type/slug, slug, name or alias."
        ),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, max=6, help="Hops around --entity.")] = 1,
    types: Annotated[
        list[str] | None, typer.Option("--type", help="Keep entities of this type (repeatable).")
    ] = None,
    relations: Annotated[
        list[str] | None, typer.Option("--relation", help="Keep edges of this relation (repeatable).")
    ] = None,
    article: Annotated[
        str | None, typer.Option("--article", help="Only what one article says: IRI, hash prefix or source.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Entities whose name contains this text, with neighbours.")
    ] = None,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=0, help="Cap on drawn entities (0 = no cap); the page says so.")
    ] = 500,
    store: StoreOption = None,
) -> None:
    """Write an interactive graph page (pyvis/vis-network, everything inlined)."""
    from kg.network import GraphFilter, build_network, neighbourhood
    from kg.viz import render_page

    try:
        repo = _open(store)
        try:
            if entity:
                if types or article or search:
                    raise typer.BadParameter("--entity combines only with --depth and --relation")
                graph = neighbourhood(repo, entity, depth, relations=relations or ())
            else:
                flt = GraphFilter(tuple(types or ()), tuple(relations or ()), article, search)
                graph = build_network(repo, flt)
        finally:
            repo.close()
        page = render_page(graph, max_nodes=max_nodes, assets="inline")
    except KGError as err:
        raise _fail(err) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.html, encoding="utf-8")
    cut = f" (cut from {page.total_nodes}; raise --max-nodes to see all)" if page.truncated else ""
    err_console.print(
        f"wrote {escape(str(out))}: {page.shown_nodes} entities, {page.shown_edges} relations{cut}",
        highlight=False,
        soft_wrap=True,
    )


def analyze(
    top: Annotated[int, typer.Option("--top", min=1, help="Rows per table.")] = 10,
    path: Annotated[
        tuple[str, str] | None,
        typer.Option("--path", help="Cooperation path between two organisations (names or aliases)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    placeholders: Annotated[
        bool,
        typer.Option("--placeholders", help="Keep unnamed publishers ('publisher of …') in the rankings."),
    ] = False,
    store: StoreOption = None,
) -> None:
    """Top institutions by degree and betweenness, Louvain communities, enterprises with the
    most university partners, and (with --path A B) how two organisations are linked."""
    from kg.analytics import analyze as run

    try:
        repo = _open(store)
        try:
            report = run(repo, top=top, path=path, placeholders=placeholders)
        finally:
            repo.close()
    except KGError as err:
        raise _fail(err) from None
    if as_json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    console = Console()
    console.print(f"[bold]{report.nodes}[/bold] entities, [bold]{report.edges}[/bold] relations")
    console.print(_ranking("Most connected institutions", "relations", report.by_degree, "{:.0f}"))
    console.print(_ranking("Brokers (betweenness)", "betweenness", report.by_betweenness, "{:.3f}"))
    console.print(
        _ranking("Enterprises with most university partners", "universities", report.enterprises, "{:.0f}")
    )
    table = Table(title="Communities (Louvain)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("size", justify="right")
    table.add_column("members (most connected first)")
    for i, comm in enumerate(report.communities, 1):
        names = ", ".join(r.label for r in comm[:8]) + (f", … (+{len(comm) - 8})" if len(comm) > 8 else "")
        table.add_row(str(i), str(len(comm)), escape(names))
    console.print(table)
    if report.path_ends is not None:
        a, b = report.path_ends
        if not report.path:
            console.print(f"No cooperation path between {escape(a)} and {escape(b)}.")
        else:
            table = Table(title=f"Cooperation path: {a} → {b}", title_justify="left")
            for col in ("from", "relation", "to", "evidence"):
                table.add_column(col)
            for step in report.path:
                evidence = step.sentence + (f" ({step.article_title})" if step.article_title else "")
                table.add_row(
                    escape(step.source_label), step.arrow(), escape(step.target_label), escape(evidence)
                )
            console.print(table)


def _ranking(title: str, score_name: str, rows: list, fmt: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("entity")
    table.add_column("type")
    table.add_column(score_name, justify="right")
    for i, row in enumerate(rows, 1):
        table.add_row(str(i), escape(row.label), row.type, fmt.format(row.score))
    if not rows:
        table.add_row("", "(none)", "", "")
    return table


def register(app: typer.Typer) -> None:
    app.command("viz")(viz)
    app.command("analyze")(analyze)
