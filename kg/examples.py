"""The example SPARQL queries shipped in kg/queries/*.rq, for the CLI, the API and the query page
(the folder holds the queries, this module reads them).

Each file starts with comment lines `# title:`, `# description:` and `# param NAME: help`; a
parameter is a line `BIND("default" AS ?q_NAME)` in the query, so every file is valid SPARQL that
runs as is. `render` substitutes values as escaped string literals (no injection possible).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import BadQuery, NotFound
from kg.store.sparql_text import term_sparql

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_BIND = re.compile(r'BIND\(\s*"((?:[^"\\]|\\.)*)"\s+AS\s+\?q_(\w+)\s*\)')
# a name parameter's index key (kg/name_index.py): BIND("…" AS ?qkey_NAME), filled in by render
_KEY_BIND = re.compile(r'BIND\(\s*"((?:[^"\\]|\\.)*)"\s+AS\s+\?qkey_(\w+)\s*\)')


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    default: str


@dataclass(frozen=True)
class NamedQuery:
    name: str  # file stem, e.g. "partners_of_university"
    title: str
    description: str
    text: str  # the query as stored (with default parameter values)
    params: tuple[Param, ...] = field(default_factory=tuple)

    def render(self, **values: str | None) -> str:
        """The query with parameters replaced; unknown parameter names raise BadQuery."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise BadQuery(f"query {self.name!r} has no parameter {', '.join(unknown)}")

        def substitute(match: re.Match[str]) -> str:
            name = match.group(2)
            value = values.get(name)
            if value is None:
                return match.group(0)
            from rdflib import Literal

            return f"BIND({term_sparql(Literal(str(value)))} AS ?q_{name})"

        def substitute_key(match: re.Match[str]) -> str:
            value = values.get(match.group(2))
            if value is None:
                return match.group(0)
            from rdflib import Literal

            from kg.name_index import query_key

            return f"BIND({term_sparql(Literal(query_key(str(value))))} AS ?qkey_{match.group(2)})"

        return _KEY_BIND.sub(substitute_key, _BIND.sub(substitute, self.text))


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, description = path.stem.replace("_", " "), ""
    helps: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.startswith("title:"):
            title = body[len("title:") :].strip()
        elif body.startswith("description:"):
            description = body[len("description:") :].strip()
        elif body.startswith("param "):
            name, _, help_text = body[len("param ") :].partition(":")
            helps[name.strip()] = help_text.strip()
    seen: dict[str, Param] = {}  # a parameter may be bound in several places (UNION branches)
    for m in _BIND.finditer(text):
        name = m.group(2)
        seen.setdefault(
            name, Param(name=name, description=helps.get(name, ""), default=_unescape(m.group(1)))
        )
    params = tuple(seen.values())
    return NamedQuery(name=path.stem, title=title, description=description, text=text, params=params)


@lru_cache(maxsize=1)
def _all() -> tuple[NamedQuery, ...]:
    return tuple(parse_query_file(p) for p in sorted(QUERIES_DIR.glob("*.rq")))


def list_queries() -> list[NamedQuery]:
    """All shipped example queries, sorted by name."""
    return list(_all())


def get_query(name: str) -> NamedQuery:
    for query in _all():
        if query.name == name:
            return query
    raise NotFound(f"no example query {name!r} (known: {', '.join(q.name for q in _all())})")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), text)
