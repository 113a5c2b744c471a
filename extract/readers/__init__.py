"""Turn paths into `Article`s: plain text now; HTML, JSON(L) and feeds join here (issue 6).

`read_path` never raises for one bad file: it yields an `ExtractError` in that file's place so a
batch can report it and go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extract.errors import BadInput, ExtractError
from extract.model import Article
from extract.validate import check_text

TEXT_SUFFIXES = {".txt", ".md", ".text"}


def read_text_file(path: Path, source: str) -> Article:
    """A .txt/.md press release: first non-empty line is the title."""
    data = path.read_bytes()
    text = check_text(data, source)
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Article(text=text, source=source, title=title)


def read_path(given: str) -> Iterator[Article | ExtractError]:
    """Articles of one path argument: a file, or every article file under a directory."""
    path = Path(given)
    if not path.exists():
        yield BadInput(f"{given}: no such file or directory")
        return
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        for file in files:
            yield from read_path(str(file))
        return
    try:
        yield read_text_file(path, given)
    except ExtractError as err:
        yield err
    except OSError as err:
        yield BadInput(f"{given}: cannot read ({err.strerror or err})")
