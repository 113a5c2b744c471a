"""Article → Extraction: runs the spaCy pipeline and reads entities and relations off the Doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.errors import BadInput, ExtractError
from extract.model import ENTITY_TYPES, Article, Entity, Extraction, Relation
from extract.nlp import load_nlp


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
        """Read the entities and relations edukg's components left on the Doc."""
        clusters = doc._.edukg_entities or []
        items = doc._.relations or []
        used = {id(x.head) for x in items} | {id(x.tail) for x in items}
        keep = [
            c for c in clusters
            if c.type in ENTITY_TYPES and (not c.from_model_only or id(c) in used)
        ]
        ids = {id(c): f"e{n}" for n, c in enumerate(keep, 1)}
        entities = [
            Entity(
                id=ids[id(c)],
                name=c.name,
                type=c.type,
                aliases=c.names[1:],
                mentions=sorted({(m.start, m.end) for m in c.mentions}),
            )
            for c in keep
        ]
        best: dict[tuple[str, str, str], Relation] = {}
        for item in items:
            s, o = ids.get(id(item.head)), ids.get(id(item.tail))
            if s is None or o is None:
                continue
            key = (s, item.label, o)
            if item.label == "partnersWith":
                key = (min(s, o), item.label, max(s, o))
            rel = Relation(
                subject=s,
                predicate=item.label,
                object=o,
                sentence=item.sentence.text.strip(),
                start=item.sentence.start_char,
                end=item.sentence.end_char,
                confidence=round(item.confidence, 2),
            )
            if key not in best or best[key].confidence < rel.confidence:
                best[key] = rel
        return Extraction(article=article.source, entities=entities, relations=list(best.values()))


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Convenience: extract one text with a process-wide Extractor."""
    return _default().extract(Article(text=text, source=source))


_EXTRACTOR: Extractor | None = None


def _default() -> Extractor:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR
