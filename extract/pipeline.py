"""Article → Extraction: runs the spaCy pipeline and reads entities and relations off the Doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.errors import BadInput, ExtractError
from extract.model import Article, Entity, Extraction
from extract.nlp import load_nlp

NER_TYPES = {"ORG": "Enterprise", "PERSON": "Person", "GPE": "Place", "LOC": "Place"}


class Extractor:
    """Reusable extractor: loads the model once; `extract_many` streams through `nlp.pipe`."""

    def __init__(self, nlp: Language | None = None, *, max_chars: int = 1_000_000) -> None:
        self.nlp = nlp if nlp is not None else load_nlp()
        self.max_chars = max_chars

    def check(self, article: Article) -> None:
        if not article.text.strip():
            raise BadInput(f"{article.source}: empty article")
        if len(article.text) > self.max_chars:
            raise BadInput(f"{article.source}: too large ({len(article.text):,} characters)")

    def extract(self, article: Article) -> Extraction:
        self.check(article)
        return self.from_doc(self.nlp(article.text), article)

    def extract_many(
        self, articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 32
    ) -> Iterator[Extraction | ExtractError]:
        """One result per article, in order; an unreadable article yields its error instead."""
        pending: list[Article] = []
        for art in articles:
            pending.append(art)
        ok = []
        for art in pending:
            try:
                self.check(art)
                ok.append(art)
            except ExtractError:
                pass
        docs = iter(self.nlp.pipe((a.text for a in ok), n_process=n_process, batch_size=batch_size))
        for art in pending:
            try:
                self.check(art)
            except ExtractError as err:
                yield err
                continue
            yield self.from_doc(next(docs), art)

    def from_doc(self, doc: Doc, article: Article) -> Extraction:
        entities: dict[tuple[str, str], Entity] = {}
        for ent in doc.ents:
            typ = NER_TYPES.get(ent.label_)
            if typ is None:
                continue
            key = (ent.text, typ)
            if key not in entities:
                entities[key] = Entity(id=f"e{len(entities) + 1}", name=ent.text, type=typ)
            entities[key].mentions.append((ent.start_char, ent.end_char))
        return Extraction(article=article.source, entities=list(entities.values()))


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Convenience: extract one text with a process-wide Extractor."""
    return _default().extract(Article(text=text, source=source))


_EXTRACTOR: Extractor | None = None


def _default() -> Extractor:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR
