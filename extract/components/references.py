"""spaCy component `edukg_references`: groups mentions into entities and resolves references.

One entity per real-world thing in an article: a name, its parenthetical alias ("(Stankin)"),
its acronym ("USST" = University of Shanghai for Science and Technology), its short form without
a legal suffix or an "of <parent>" tail. Referring phrases ("our college", "the university",
"the alliance", "the Committee") resolve to the publisher or the most recent entity of a fitting
type; an unnamed publisher becomes one entity of its own. Sets `doc._.edukg_entities`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from extract.components.names import ACRONYM, Mention, boilerplate_at
from extract.coref.pronouns import antecedent_of_its, antecedent_of_which, group_members, group_size
from extract.lexicon import (
    ACADEMIC_WORDS,
    GENERIC_HEADS,
    GOVERNMENT_SUBUNITS,
    HEAD_TYPES,
    HEI_FIELD_TAILS,
    HEI_KIND_WORDS,
    LEGAL_SUFFIXES,
)
from extract.names.context import context_type
from extract.names.tokens import is_acronym

FUNCTION_WORDS = {"of", "for", "and", "the", "&", "in", "at", "on", "de"}
REFERRING = {"our", "the", "this", "that", "its"}
ORG_KINDS = {"University", "Enterprise", "Alliance", "GovernmentBody", "Institute"}
PLACE_WORDS_BEFORE = {"in", "at", "from", "to", "across", "near", "outside", "throughout"}


@dataclass(eq=False)
class EntityCluster:
    """All mentions of one entity in one article."""

    type: str
    mentions: list[Mention] = field(default_factory=list)
    id: str = ""
    publisher: bool = False  # the institution that publishes the article ("our school")

    @property
    def names(self) -> list[str]:
        """Specific names, longest first; referring phrases only for an unnamed publisher."""
        specific: list[str] = []
        for m in self.mentions:
            if m.generic:
                continue
            for n in [m.name, m.short, *m.aliases]:
                if n and n not in specific:
                    specific.append(n)
        if not specific:  # an unnamed publisher: "our college" rather than "the college"
            refs = sorted(self.mentions, key=lambda m: (not m.name.lower().startswith("our "), m.start))
            specific = [refs[0].name]
        acr = [n for n in specific if ACRONYM.match(n)]
        full = sorted((n for n in specific if n not in acr), key=len, reverse=True)
        return full + acr

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def from_model_only(self) -> bool:
        return all(m.from_model for m in self.mentions if not m.generic)

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def norm(name: str) -> str:
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"[\"“”()\[\],.;:]", " ", s)
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"\s+", " ", s).strip()


def distinctive(name: str) -> str:
    """The one word that tells an organisation apart: "Greenwich" in "University of
    Greenwich", "Chalmers" in "Chalmers University"; "" when there is no single such word."""
    words = [w for w in name.split() if w.lower() not in {"the"}]
    if len(words) == 3 and words[1].lower() == "of" and words[0].lower() in HEAD_TYPES:
        return norm(words[2])
    if len(words) == 2 and words[1].lower() in HEAD_TYPES and words[1].lower() not in LEGAL_SUFFIXES:
        return norm(words[0])
    return ""


def initials(name: str) -> set[str]:
    """Acronyms a name may go by: initials of all words or of content words, hyphens split."""
    words = [w for w in re.split(r"[\s\-]+", name.replace(",", " ")) if w]
    words = [w for w in words if w.lower() not in LEGAL_SUFFIXES]
    all_i = "".join(w[0] for w in words if w[0].isalpha()).upper()
    content = "".join(w[0] for w in words if w.lower() not in FUNCTION_WORDS and w[0].isalpha()).upper()
    return {all_i, content}


class References:
    """Builds entity clusters for one doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.mentions: list[Mention] = list(doc._.edukg_mentions or [])
        self.places = {norm(m.name) for m in self.mentions if m.kind == "Place"}

    def run(self) -> list[EntityCluster]:
        self.type_colleges()
        clusters = self.cluster()
        self.propagate_names(clusters)
        self.type_acronyms(clusters)
        self.type_subunits(clusters)
        self.type_divisions(clusters)
        self.type_by_parent()
        self.resolve_references(clusters)
        self.resolve_pronouns()
        clusters = [c for c in clusters if c.mentions]
        clusters.sort(key=lambda c: c.first)
        self.doc._.edukg_mentions = self.mentions
        for n, c in enumerate(clusters, 1):
            c.id = f"e{n}"
        return clusters

    # -- typing ---------------------------------------------------------------------------
    def type_colleges(self) -> None:
        """College/Institute/Academy/School: a sub-unit (named "of <parent>", after an owner's
        possessive or after its owner's name: "Acme AI Academy"), a joint one ("Sino-Russian
        ...") or a research one is an Institute; one whose name says what kind of
        higher-education institution it is ("Community College", "Vocational School",
        "Institute of Technology") or that is named after its place is a University."""
        for m in self.mentions:
            if m.kind == "College":
                m.kind = self.college_type(m)

    def college_type(self, m: Mention) -> str:
        parts = re.split(r"\s+(?:of|for)\s+", m.name, maxsplit=1)
        core, tail = parts[0], (parts[1] if len(parts) > 1 else "")
        if " of " not in m.name:
            tail = ""  # "Institute of Technology" names a kind; "Institute for X" a research unit
        words = [w.lower() for w in core.split()]
        first = m.name.split()[0]
        if m.parent is not None or self.owned(m) or "-" in first or "research" in words:
            return "Institute"
        if any(w in HEI_KIND_WORDS for w in words):
            return "University"
        tail_words = tail.lower().replace(",", " ").split()
        while len(tail_words) > 1 and tail_words[-1] in self.places:
            tail_words.pop()  # "Indian Institute of Technology Bombay"
        # "Tokyo Institute of Technology" (a bare "School of Engineering" is a faculty)
        field = tail_words and len(tail_words) <= 4 and any(w in HEI_FIELD_TAILS for w in tail_words)
        if field and len(words) >= 2 and words[-1] != "academy":
            return "University"
        last = m.name.split()[-1]
        placed = (
            norm(first) in self.places
            or (norm(last) in self.places and len(words) >= 3)  # "Imperial College London"
            or any(m.name.startswith(p.name + " ") for p in self.mentions if p.kind == "Place")
        )
        return "University" if placed else "Institute"

    def owned(self, m: Mention) -> bool:
        """Is the name preceded by an owner's possessive ("Acme's Lab") or does it begin with
        another organisation's name or acronym ("KAIST Department of ...", "Acme AI Academy")?"""
        doc = self.doc
        if m.tok_start >= 2 and doc[m.tok_start - 1].text in {"'s", "’s"}:
            return True
        first = doc[m.tok_start] if m.tok_start < len(doc) else None
        if first is not None and is_acronym(first) and m.tok_end - m.tok_start > 1:
            return True
        words = m.name.split()
        for other in self.mentions:
            if (
                other is m
                or other.kind in {"Person", "Place", "Program"}
                or other.generic
                or other.from_model
            ):
                continue
            o = other.name.split()
            if not o or len(o) >= len(words):
                continue
            if other.kind in {"College", "Institute"}:
                continue  # "Imperial College" is no owner of "Imperial College London"
            if words[: len(o)] == o or (len(o) > 1 and words[0] == o[0] and other.kind in {"Enterprise", ""}):
                return True
        return False

    def type_divisions(self, clusters: list[EntityCluster]) -> None:
        """A head-less name that begins with another organisation's name is a part of it:
        "Acme Trucks Technology", "Acme Business" are divisions (Institute); with a place
        after the owner's name ("Acme Australia", "Acme Tianjin Branch") a regional company
        (Enterprise). Either way it is a name of its own, kept without a relation."""
        orgs = [c for c in clusters if c.type in ORG_KINDS]
        for c in clusters:
            if c.type != "Enterprise" or not c.from_model_only:
                continue
            name = c.name
            owners = [
                o
                for o in orgs
                if o is not c and not o.from_model_only and any(name.startswith(n + " ") for n in o.names)
            ]
            if not owners:
                continue
            owner = max((n for o in owners for n in o.names if name.startswith(n + " ")), key=len)
            rest = name[len(owner) :].split()
            places = self.places | {norm(e.text) for e in self.doc.ents if e.label_ in {"GPE", "LOC"}}
            regional = any(norm(w) in places for w in rest)
            c.type = "Enterprise" if regional else "Institute"
            for m in c.mentions:
                m.kind = c.type
                m.from_model = False

    def type_subunits(self, clusters: list[EntityCluster]) -> None:
        """Office/Department/Committee/Council/...: a government's own sub-unit is a
        GovernmentBody, any other organisation's an Institute; with no parent named, a
        department, office or committee is a government's ("Department of Labor")."""
        for c in clusters:
            if c.type != "Subunit":
                continue
            kinds = [self.subunit_type(m) for m in c.mentions if m.kind == "Subunit"]
            c.type = "GovernmentBody" if "GovernmentBody" in kinds else "Institute"
            for m in c.mentions:
                m.kind = c.type

    def subunit_type(self, m: Mention) -> str:
        parent = m.parent
        if parent is not None:
            kind = parent.entity.type if parent.entity is not None else parent.kind
            return "GovernmentBody" if kind == "GovernmentBody" else "Institute"
        if self.owned(m):
            return "Institute"
        head = m.name.split(" of ")[0].split()[-1].lower()
        return "GovernmentBody" if head in GOVERNMENT_SUBUNITS else "Institute"

    def type_by_parent(self) -> None:
        """A centre "of the Ministry" is government-run."""
        for m in self.mentions:
            if m.kind == "Institute" and m.parent is not None:
                parent_kind = m.parent.kind or (m.parent.entity.type if m.parent.entity else "")
                if parent_kind == "GovernmentBody" and m.name.split(" of ")[0].split()[-1].lower() in {
                    "center",
                    "centre",
                    "office",
                    "agency",
                }:
                    m.kind = "GovernmentBody"
                    if m.entity is not None:
                        m.entity.type = "GovernmentBody"

    def type_acronyms(self, clusters: list[EntityCluster]) -> None:
        """An acronym no name in the article explains takes its type from its context: a class
        noun ("the telecom firm ACME"), a list it stands in, or academic words next to it
        ("ACU students", "dean of ACU"); otherwise it is kept only where a relation needs it,
        as an Enterprise. Its letters say nothing: "U" is not "University"."""
        for c in clusters:
            if c.type:
                continue
            found = [self.acronym_context(m) for m in c.mentions]
            typed = [t for t in found if t]
            if typed:
                c.type = max(set(typed), key=typed.count)
            elif any(not m.from_model for m in c.mentions):
                c.type = "Enterprise"
                for m in c.mentions:
                    m.from_model = True  # kept only where a relation needs it
            for m in c.mentions:
                m.kind = c.type

    def acronym_context(self, m: Mention) -> str | None:
        doc = self.doc
        if m.tok_end > len(doc) or m.tok_start >= m.tok_end:
            return None
        sent = doc[m.tok_start].sent
        found = context_type(doc, m.tok_start, m.tok_end, sent.start, sent.end)
        if found is not None:
            return found
        near = [doc[x] for x in range(max(sent.start, m.tok_start - 3), min(sent.end, m.tok_end + 2))]
        if any(t.lemma_.lower() in ACADEMIC_WORDS or t.lower_ in ACADEMIC_WORDS for t in near):
            return "University"
        return None

    # -- clustering -----------------------------------------------------------------------
    def cluster(self) -> list[EntityCluster]:
        clusters: list[EntityCluster] = []
        by_name: dict[tuple[str, str], EntityCluster] = {}
        named = [m for m in self.mentions if m.kind != ""]
        acronyms = [m for m in self.mentions if m.kind == ""]

        def family(kind: str) -> str:
            return "Org" if kind not in {"Person", "Place", "Program"} else kind

        for m in named:
            keys = [norm(n) for n in [m.name, m.short, *m.aliases] if n]
            found = None
            for k in keys:
                found = by_name.get((family(m.kind), k))
                if found:
                    break
            if found is None:
                found = EntityCluster(type=m.kind)
                clusters.append(found)
            if found.type == "Institute" and m.kind == "University":
                found.type = "University"  # "Imperial College" and "Imperial College London"
            found.mentions.append(m)
            m.entity = found
            for k in keys:
                by_name.setdefault((family(m.kind), k), found)
        self.merge_short_names(clusters, by_name)
        merge_surnames(clusters)
        for m in acronyms:
            target = by_name.get(("Org", norm(m.name)))
            if target is None:
                for c in clusters:
                    if c.type in {"Person", "Place", "Program"}:
                        continue
                    if any(m.name.upper() in initials(n) for n in c.names if not ACRONYM.match(n)):
                        target = c
                        break
            if target is None:  # "COSCO" for "COSCO Shipping Heavy Industry Co., Ltd."
                starts = [
                    c
                    for c in clusters
                    if c.type == "Enterprise" and any(n.split()[0] == m.name and " " in n for n in c.names)
                ]
                target = starts[0] if len(starts) == 1 else None
            if target is None:
                target = EntityCluster(type="")
                clusters.append(target)
                by_name[("Org", norm(m.name))] = target
            target.mentions.append(m)
            m.kind = target.type
            m.entity = target
        return clusters

    def merge_short_names(
        self, clusters: list[EntityCluster], by_name: dict[tuple[str, str], EntityCluster]
    ) -> None:
        """A short form the model typed on its own joins the organisation it names:
        "Guangdong Fuji Elevator" (called a place) is the company "Guangdong Fuji Elevator Co.,
        Ltd."; "Greenwich" is "the University of Greenwich" and "Chalmers" "Chalmers
        University" when one organisation of the article has that distinctive word. A place
        after a preposition ("in Greenwich") stays a place."""
        orgs = [c for c in clusters if c.type not in {"Person", "Place", "Program", ""}]
        doc = self.doc
        for c in list(clusters):
            if c.type not in {"Place", "Person", "Enterprise"} or c.publisher:
                continue
            texts = {norm(m.name) for m in c.mentions if not m.generic}
            if len(texts) != 1:
                continue
            text = texts.pop()
            target = by_name.get(("Org", text)) if c.type in {"Place", "Person"} else None
            if target is None and " " not in text:
                hits = [
                    o for o in orgs if o is not c and o.mentions and text in {distinctive(n) for n in o.names}
                ]
                target = hits[0] if len(hits) == 1 else None
            if target is None or target is c:
                continue
            moved = [
                m
                for m in c.mentions
                if not (
                    c.type == "Place"
                    and m.tok_start > 0
                    and doc[m.tok_start - 1].lower_ in PLACE_WORDS_BEFORE
                )
            ]
            for m in moved:
                c.mentions.remove(m)
                target.mentions.append(m)
                m.entity = target
                m.kind = target.type
                m.from_model = False
            if not c.mentions:
                clusters.remove(c)

    def propagate_names(self, clusters: list[EntityCluster]) -> None:
        """A name or alias once recognised is recognised everywhere in the article, also
        where it has no head noun ("General Manager of COSCO Shipping Heavy Industry")."""
        doc = self.doc
        taken = {c for m in self.mentions for c in range(m.start, m.end)}
        places = {e.text for e in doc.ents if e.label_ in {"GPE", "LOC"}}
        places |= {m.name for m in self.mentions if m.kind == "Place"}
        added: list[Mention] = []
        for c in clusters:
            if c.type in {"", "Place"}:
                continue
            for name in c.names:
                # one word only when it reads as an acronym ("MoHERI", "GUtech", "SQU") or the
                # article itself uses it alone for this organisation ("Chalmers") and never
                # for a place: a plain capitalised word may be something else elsewhere
                if (
                    " " not in name
                    and sum(ch.isupper() for ch in name) < 2
                    and (name in places or not any(m.name == name and not m.generic for m in c.mentions))
                ):
                    continue
                for hit in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", doc.text):
                    if any(x in taken for x in range(hit.start(), hit.end())):
                        continue
                    span = doc.char_span(hit.start(), hit.end(), alignment_mode="contract")
                    if span is None or boilerplate_at(doc.text, hit.start()):
                        continue
                    m = Mention(
                        start=hit.start(),
                        end=hit.end(),
                        name=name,
                        kind=c.type,
                        tok_start=span.start,
                        tok_end=span.end,
                        entity=c,
                    )
                    c.mentions.append(m)
                    added.append(m)
                    taken.update(range(hit.start(), hit.end()))
        self.mentions.extend(added)
        self.mentions.sort(key=lambda m: (m.start, -m.end))

    # -- referring phrases ----------------------------------------------------------------
    def references(self) -> list[Mention]:
        """ "our college", "the university", "this college", "the Committee", "College President"."""
        doc = self.doc
        text = doc.text  # Doc.text joins every token on each access: read it once
        taken = {x for m in self.mentions for x in range(m.tok_start, m.tok_end)}
        out: list[Mention] = []
        for tok in doc:
            low = tok.lower_
            if low not in GENERIC_HEADS or tok.i in taken or tok.tag_ in {"NNS", "NNPS"}:
                continue
            if boilerplate_at(text, tok.idx):
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if prev is not None and prev.lower_ in REFERRING:
                start_tok = prev.i
            elif (
                tok.text[0].isupper()
                and nxt is not None
                and nxt.text[:1].isupper()
                and (prev is None or not prev.text[:1].isupper())
            ):
                start_tok = tok.i  # "College President", "College Board"
            else:
                continue
            if nxt is not None and nxt.text[:1].isupper() and nxt.lower_ in HEAD_TYPES:
                continue
            span = doc[start_tok : tok.i + 1]
            m = Mention(
                start=span.start_char,
                end=span.end_char,
                name=span.text,
                kind="",
                tok_start=span.start,
                tok_end=span.end,
                generic=True,
            )
            out.append(m)
        return out

    def resolve_references(self, clusters: list[EntityCluster]) -> None:
        refs = self.references()
        if not refs:
            return
        publisher = None
        ours = [r for r in refs if r.name.lower().startswith("our ")]
        if ours:
            # "our school/college/university" speaks for a University, "our company" for an
            # Enterprise: the head word of the first "our X" says which
            head = ours[0].name.split()[-1].lower()
            kind = "University" if head in {"school", "college", "university"} else GENERIC_HEADS[head][0]
            publisher = self.find_publisher(clusters, kind)
            if publisher is None:
                publisher = EntityCluster(type=kind)
                clusters.append(publisher)
            publisher.publisher = True
        outer = [
            (m, m.entity) for m in self.mentions if not m.inner and m.entity is not None and not m.generic
        ]
        for r in refs:
            head = r.name.split()[-1].lower()
            kinds = GENERIC_HEADS.get(head, ())
            target = None
            if publisher is not None and (
                r.name.lower().startswith("our ") or head in self.head_words(publisher)
            ):
                target = publisher
            else:
                before = [c for m, c in outer if m.start < r.start and c.type in kinds]
                # "the laboratory" prefers the latest entity with "Laboratory" in its name
                named = [c for c in before if head in c.name.lower().split()]
                if named or before:
                    target = (named or before)[-1]
            if target is None:
                continue
            r.kind = target.type
            r.entity = target
            target.mentions.append(r)
            self.mentions.append(r)
        self.mentions.sort(key=lambda m: (m.start, -m.end))

    def resolve_pronouns(self) -> None:
        """ "its", relative "which"/"that" and "the two sides" (see coref/pronouns.py). A
        pronoun joins its entity as a referring mention; a group reference becomes a mention
        whose `group` lists the entities and whose `entity` stays None."""
        doc = self.doc
        anchors = sorted(
            (
                (m.tok_start, m.tok_end, m.entity)
                for m in self.mentions
                if m.entity is not None and not m.inner and not m.generic and m.entity.type in ORG_KINDS
            ),
            key=lambda a: (a[0], a[1]),
        )
        if not anchors:
            return
        text = doc.text  # Doc.text joins every token on each access: once, not once per token
        taken = {x for m in self.mentions for x in range(m.tok_start, m.tok_end)}
        added: list[Mention] = []
        for tok in doc:
            if tok.i in taken or boilerplate_at(text, tok.idx):
                continue
            target: EntityCluster | None = None
            group: list[EntityCluster] = []
            start = tok.i
            if tok.lower_ == "its" and tok.tag_ == "PRP$":
                target = antecedent_of_its(doc, tok, anchors)
            elif tok.tag_ == "WDT":
                target = antecedent_of_which(doc, tok, anchors)
            elif size := group_size(doc, tok):
                group = group_members(doc, tok, size, anchors)
                start = next(
                    x for x in range(tok.i, -1, -1) if doc[x].lower_ in {"the", "these", "all", "both"}
                )
            if target is None and not group:
                continue
            span = doc[start : tok.i + 1]
            m = Mention(
                start=span.start_char,
                end=span.end_char,
                name=span.text,
                kind=target.type if target is not None else "",
                tok_start=span.start,
                tok_end=span.end,
                generic=True,
                entity=target,
                group=group,
            )
            if target is not None:
                target.mentions.append(m)
            added.append(m)
        self.mentions.extend(added)
        self.mentions.sort(key=lambda m: (m.start, -m.end))

    def head_words(self, cluster: EntityCluster) -> set[str]:
        words = {m.name.split()[-1].lower() for m in cluster.mentions}
        if cluster.type == "University":
            words |= {"school", "college", "university"}
        return words

    def find_publisher(self, clusters: list[EntityCluster], kind: str) -> EntityCluster | None:
        """A named organisation the article speaks for: the one of the publisher's type written
        with a possessive ("USST's international influence") when it also says "our school";
        else the only organisation of that type the article names."""
        text = self.doc.text
        of_kind = [c for c in clusters if c.type == kind and not c.from_model_only]
        found = [c for c in of_kind if any(text[m.end : m.end + 2] in {"'s", "’s"} for m in c.mentions)]
        if len(found) == 1:
            return found[0]
        return of_kind[0] if len(of_kind) == 1 and kind == "Enterprise" else None


def merge_surnames(clusters: list[EntityCluster]) -> None:
    """ "Dr. Walker" after "Steven H. Walker": a one-word person name that is the last word of
    exactly one longer person name of the article is that person."""
    people = [c for c in clusters if c.type == "Person"]
    by_last: dict[str, list[EntityCluster]] = {}
    for c in people:
        if " " in c.name:
            by_last.setdefault(c.name.split()[-1].lower(), []).append(c)
    for c in people:
        if " " in c.name or any(" " in n for n in c.names):
            continue
        hits = by_last.get(c.name.lower(), [])
        if len(hits) != 1 or hits[0] is c:
            continue
        target = hits[0]
        for m in c.mentions:
            target.mentions.append(m)
            m.entity = target
        c.mentions.clear()
        clusters.remove(c)


def setup_extensions() -> None:
    if not Doc.has_extension("edukg_entities"):
        Doc.set_extension("edukg_entities", default=None)


class ReferenceResolver:
    """The `edukg_references` pipeline component."""

    def __init__(self, nlp: Language, name: str = "edukg_references") -> None:
        self.name = name
        setup_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.edukg_entities = References(doc).run()
        return doc


@Language.factory("edukg_references", assigns=["doc._.edukg_entities"], requires=["doc._.edukg_mentions"])
def make_reference_resolver(nlp: Language, name: str) -> ReferenceResolver:
    return ReferenceResolver(nlp, name)
