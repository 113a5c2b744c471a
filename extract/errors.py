"""Errors extract/ raises for input it cannot read; callers print `str(err)` as one line."""

from __future__ import annotations


class ExtractError(Exception):
    """Base class: `code` is a short machine name, the message a one-line human reason."""

    code = "extract_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(ExtractError):
    """The input is empty, binary, not UTF-8, too large or not an article."""

    code = "bad_input"


class NotEnglish(BadInput):
    """The article is not in English; edukg's pipeline only reads English."""

    code = "not_english"
