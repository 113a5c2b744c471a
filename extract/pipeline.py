"""Article → Extraction: runs the spaCy pipeline and reads entities and relations off the Doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.errors import ExtractError, NotEnglish
from extract.model import Article, Entity, Extraction, Relation
from extract.nlp import load_nlp
from extract.validate import check_article_text, check_english


class Extractor:
    """Reusable extractor: loads the model once; `extract_many` streams through `nlp.pipe`."""

    def __init__(self, nlp: Language | None = None, *, max_chars: int = 1_000_000) -> None:
        self.nlp = nlp if nlp is not None else load_nlp()
        self.max_chars = max_chars

    def check(self, article: Article) -> None:
        """Refuse what the pipeline cannot read, whichever way the article arrived (file, API
        body, feed item): empty, binary, huge or non-English text."""
        check_article_text(article.text, article.source, max_chars=self.max_chars)
        if article.language is None:
            article.language = check_english(article.text, article.source)
        elif not article.language.lower().startswith("en"):
            raise NotEnglish(f"{article.source}: language '{article.language}', not English; skipped")

    def extract(self, article: Article) -> Extraction:
        self.check(article)
        return self.from_doc(self.nlp(article.text), article)

    def extract_many(
        self, articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 32
    ) -> Iterator[Extraction | ExtractError]:
        """One result per article, in input order; an unreadable article yields its error.

        Articles stream through `nlp.pipe(as_tuples=True)`, so memory stays flat however many
        arrive; refused articles never reach spaCy and are reported in their place.
        """
        parked: list[tuple[int, ExtractError]] = []

        def good() -> Iterator[tuple[str, tuple[int, Article]]]:
            for n, art in enumerate(articles):
                try:
                    self.check(art)
                except ExtractError as err:
                    parked.append((n, err))
                    continue
                yield art.text, (n, art)

        for doc, (n, art) in self.nlp.pipe(
            good(), as_tuples=True, n_process=n_process, batch_size=batch_size
        ):
            while parked and parked[0][0] < n:
                yield parked.pop(0)[1]
            yield self.from_doc(doc, art)
        while parked:
            yield parked.pop(0)[1]

    def from_doc(self, doc: Doc, article: Article) -> Extraction:
        """Build the Extraction from the plain data `edukg_output` left on the Doc."""
        data = doc._.edukg or {"entities": [], "relations": []}
        entities = [
            Entity(
                id=e["id"],
                name=e["name"],
                type=e["type"],
                aliases=list(e["aliases"]),
                mentions=[(int(a), int(b)) for a, b in e["mentions"]],
            )
            for e in data["entities"]
        ]
        publisher = " ".join((article.publisher or "").split())
        for raw, entity in zip(data["entities"], entities, strict=True):
            if publisher and raw.get("unnamed_publisher"):
                # "our college" with no name in the text: the publisher named in the metadata
                entity.aliases = [entity.name, *entity.aliases]
                entity.name = publisher
        relations = [Relation(**r) for r in data["relations"]]
        return Extraction(article=article.source, entities=entities, relations=relations)


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Convenience: extract one text with a process-wide Extractor."""
    return _default().extract(Article(text=text, source=source))


_EXTRACTOR: Extractor | None = None


def _default() -> Extractor:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR
