"""Entry point of the `edukg` command: assembles the command modules into one typer app.

Each `cmd_*` module owns its commands and exposes `register(app)`; adding a command means adding
a module and one line here, not editing another's. The modules import their heavy dependencies
inside the commands, so `edukg --help` stays fast.
"""

from __future__ import annotations

import typer

from cli import cmd_extract, cmd_ingest, cmd_serve, cmd_store, cmd_viz

app = typer.Typer(
    name="edukg",
    help="edukg: a knowledge graph of education–industry cooperation from press releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (cmd_extract, cmd_ingest, cmd_store, cmd_serve, cmd_viz):
    _module.register(app)


if __name__ == "__main__":
    app()
