"""The `edukg` command line: a thin typer app; each command group lives in its own module."""
