"""Entry point of the `edukg` command: assembles the command modules into one typer app.

Each `cmd_*` module owns its commands and exposes `register(app)`; adding a command means adding
a module here, not editing another's.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="edukg",
    help="edukg: a knowledge graph of education–industry cooperation from press releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = ("cmd_extract", "cmd_ingest", "cmd_store", "cmd_serve", "cmd_viz")

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"cli.{_name}")
    except ModuleNotFoundError as err:  # a command module not written yet
        if err.name != f"cli.{_name}":
            raise
        continue
    _module.register(app)


if __name__ == "__main__":
    app()
