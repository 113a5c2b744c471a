"""Placeholder: replaced by the organisation-name component."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class OrgRuler:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("edukg_org_ruler")
def make_org_ruler(nlp: Language, name: str) -> OrgRuler:
    return OrgRuler(nlp, name)
