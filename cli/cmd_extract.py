"""`edukg extract PATH... [--json]`: run extraction only and print what it finds.

The `--json` output is an exact interface read by tools outside edukg (one JSON object per
article per line, see extract.model.Extraction.to_json); extend it only by adding fields.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.table import Table

from extract.errors import ExtractError
from extract.model import Article, Extraction


def _articles(paths: list[str], errors: list[ExtractError]) -> Iterator[Article]:
    from extract.readers import read_path

    for given in paths:
        for item in read_path(given):
            if isinstance(item, ExtractError):
                errors.append(item)
                print(f"edukg extract: {item.message}", file=sys.stderr)
            else:
                yield item


def _table(console: Console, ex: Extraction) -> None:
    names = {e.id: e.name for e in ex.entities}
    console.rule(f"[bold]{ex.article}")
    ents = Table("id", "type", "name", "aliases", title="entities", title_justify="left")
    for e in ex.entities:
        ents.add_row(e.id, e.type, e.name, ", ".join(e.aliases))
    console.print(ents)
    rels = Table(
        "subject", "relation", "object", "conf.", "evidence", title="relations", title_justify="left"
    )
    for r in ex.relations:
        rels.add_row(
            names[r.subject],
            r.predicate,
            names[r.object],
            f"{r.confidence:.2f}",
            r.sentence[:120] + ("…" if len(r.sentence) > 120 else ""),
        )
    console.print(rels)


def extract_command(
    paths: list[str] = typer.Argument(..., help="Article files or folders (every article inside)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article per line."),
    n_process: int = typer.Option(1, "--n-process", help="spaCy worker processes."),
) -> None:
    """Extract entities and relations (with evidence) from press releases."""
    from extract.pipeline import Extractor

    errors: list[ExtractError] = []
    extractor = Extractor()
    console = Console()
    for result in extractor.extract_many(_articles(paths, errors), n_process=n_process):
        if isinstance(result, ExtractError):
            errors.append(result)
            print(f"edukg extract: {result.message}", file=sys.stderr)
            continue
        if as_json:
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            _table(console, result)
    raise typer.Exit(1 if errors else 0)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
