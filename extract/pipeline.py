"""Article → Extraction: runs the spaCy pipeline and reads entities and relations off the Doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.errors import ExtractError, NotEnglish
from extract.model import ENTITY_TYPES, Article, Entity, Extraction, Relation
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
        """Read the entities and relations edukg's components left on the Doc."""
        clusters = doc._.edukg_entities or []
        items = doc._.relations or []
        used = {id(x.head) for x in items} | {id(x.tail) for x in items}
        keep = [c for c in clusters if c.type in ENTITY_TYPES and (not c.from_model_only or id(c) in used)]
        promote_independent_institutes(keep, items)
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
        name_unnamed_publisher(keep, entities, article)
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


def name_unnamed_publisher(clusters: list, entities: list[Entity], article: Article) -> None:
    """"Our college" with no name in the text takes the publisher named in the article's
    metadata (a feed's or JSON record's `publisher`), keeping the phrase as an alias."""
    if not article.publisher or not article.publisher.strip():
        return
    for cluster, entity in zip(clusters, entities, strict=True):
        if cluster.publisher and all(m.generic for m in cluster.mentions):
            entity.aliases = [entity.name, *entity.aliases]
            entity.name = " ".join(article.publisher.split())


def promote_independent_institutes(clusters: list, items: list) -> None:
    """A college or institute that acts as a party of its own (partner, member, founder) and
    belongs to no one is a higher-education institution: University, not Institute."""
    parented = {id(x.head) for x in items if x.label == "partOf"}
    founded = {id(x.head) for x in items if x.label == "establishedBy"}
    acting = {id(x.head) for x in items if x.label in {"partnersWith", "memberOf"}}
    acting |= {id(x.tail) for x in items if x.label in {"partnersWith", "establishedBy"}}
    for c in clusters:
        independent = c.type == "Institute" and id(c) in acting and id(c) not in parented | founded
        if independent and any(n.split(" of ")[0].split()[-1].lower() in INSTITUTION_HEADS for n in c.names):
            c.type = "University"


INSTITUTION_HEADS = {"college", "institute", "academy", "school", "polytechnic"}


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Convenience: extract one text with a process-wide Extractor."""
    return _default().extract(Article(text=text, source=source))


_EXTRACTOR: Extractor | None = None


def _default() -> Extractor:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = Extractor()
    return _EXTRACTOR
