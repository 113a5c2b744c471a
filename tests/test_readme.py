"""The README as a newcomer runs it: exactly two set-up commands (the first in a virtualenv),
every `edukg` example in it parses in a POSIX shell, and every repo path it names exists."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def test_two_setup_commands_the_first_in_a_virtualenv() -> None:
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert len(blocks) == 2, blocks
    first, second = (b.strip() for b in blocks)
    assert "\n" not in first and "\n" not in second
    assert (
        first.startswith("python3 -m venv ") and "pip install -e ." in first and first.endswith("edukg serve")
    )
    assert second == "make test"
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_inline_commands_parse_in_a_shell() -> None:
    commands = [c for c in re.findall(r"`(edukg [^`]+)`", README) if "|" not in c and "..." not in c]
    assert any("-p " in c for c in commands)
    for command in commands:
        shlex.split(command)  # raises on an unbalanced quote, as `sh` would wait for more input
        check = subprocess.run(["sh", "-n", "-c", command], capture_output=True, text=True)
        assert check.returncode == 0, (command, check.stderr)


def test_named_repo_paths_exist() -> None:
    for path in re.findall(r"`((?:tests|kg|api|cli|extract|bench|docs|ontology|data)/[\w./-]+)`", README):
        assert (ROOT / path).exists(), path
    assert "../" not in README  # nothing outside the repository
