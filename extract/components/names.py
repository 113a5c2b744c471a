"""spaCy component `edukg_names`: finds whole organisation and programme names.

The small English model cuts long names ("... Key Industry Chain and | Discipline Chain ...
Alliance") and types most of them ORG. This component scans each sentence for runs of
capitalised words joined by "of", "for", "and", hyphens and legal suffixes, keeps the runs whose
core ends in an organisation head noun (University, Center, Alliance, Co., Ltd., ...), splits
coordinations ("A Center and B Center"), distributes plural heads ("Departments of A, B and C"),
and records "X of Y" parents, parenthetical aliases and places. People and places come from the
model's NER. The result is `doc._.edukg_mentions`, a list of `Mention`s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extract.lexicon import (
    BOILERPLATE,
    GOVERNANCE_WORDS,
    HEAD_INITIAL_UNIVERSITY,
    HEAD_TYPES,
    LEAD_TITLE_WORDS,
    LEGAL_SUFFIXES,
    NAME_CONNECTORS,
    NOT_NAME_START,
    RANK_WORDS,
    SUBUNIT_HEADS,
    TITLE_WORDS,
    VENUE_WORDS,
)
from extract.names.context import context_type
from extract.names.coordination import entity_index, splits_at
from extract.names.headline import Tagger, headline_verbs, is_title_case, pipeline_tagger
from extract.names.lists import list_types
from extract.names.people import honorific_names
from extract.names.tokens import FINITE_VERB_TAGS, POSSESSIVE, is_acronym, is_cap

if TYPE_CHECKING:
    from extract.components.references import EntityCluster

ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}s?$")
YEARS = re.compile(r"^\d{4}(\s*[-–]\s*\d{4})?$")
PLURAL_GOV = {"departments", "ministries", "bureaus", "commissions", "committees"}


@dataclass
class Mention:
    """One mention of a named thing in the text."""

    start: int  # character offsets in doc.text
    end: int
    name: str  # the name as written (or synthesised for distributed plurals)
    kind: str  # entity type, or "College" until context decides University vs Institute
    tok_start: int
    tok_end: int
    short: str | None = None  # the name without its "of <parent>" tail
    parent: Mention | None = None  # "X of Y" → Y
    aliases: list[str] = field(default_factory=list)
    place: str | None = None  # "(Liaoning)" or "Shaanxi's ..." → place name
    acronym: bool = False
    from_model: bool = False  # kept only when a relation needs it (a bare ORG like "Huawei")
    governance_of: Mention | None = None  # "Party Committee of X" stands for X
    inner: bool = False  # a parent named inside another name ("... of <parent>")
    generic: bool = False  # a referring phrase ("our college", "the alliance")
    entity: EntityCluster | None = None  # the entity it resolves to (set by edukg_references)
    # "the two sides": the organisations a plural reference stands for (entity stays None)
    group: list[EntityCluster] = field(default_factory=list)

    @classmethod
    def of_span(cls, span: Span, kind: str) -> Mention:
        """A mention of `kind` covering the tokens of `span`, named as written."""
        return cls(
            start=span.start_char,
            end=span.end_char,
            name=span.text,
            kind=kind,
            tok_start=span.start,
            tok_end=span.end,
        )

    @property
    def cluster(self) -> EntityCluster:
        """The resolved entity, for code that only sees resolved mentions (the relation rules)."""
        if self.entity is None:
            raise ValueError(f"mention {self.text!r} is not resolved to an entity")
        return self.entity

    @property
    def text(self) -> str:
        return self.name


def head_kind(tok: Token) -> str | None:
    """Entity type a head noun gives its name, if the token is a head noun. Sub-unit heads
    (Office, Department, Committee, ...) give "Subunit": their type follows their parent."""
    low = tok.lower_
    if low in {"universities", "colleges", "institutes", "schools", "enterprises", "companies"}:
        return None
    if low in SUBUNIT_HEADS:
        return "Subunit"
    return HEAD_TYPES.get(low)


def boilerplate_at(text: str, pos: int) -> bool:
    """Is character `pos` on a line of site furniture (copyright footer, photo credit)?"""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    low = text[line_start : line_end if line_end >= 0 else len(text)].lower()
    return any(marker in low for marker in BOILERPLATE)


def in_boilerplate(sent: Span) -> bool:
    """Is the sentence wholly made of boilerplate lines?"""
    text = sent.doc.text  # built anew on every access: read once
    return boilerplate_at(text, sent.start_char) and boilerplate_at(text, sent.end_char - 1)


class NameScanner:
    """Scans one sentence; kept as a class so helpers share the doc and the place set."""

    def __init__(self, doc: Doc, places: set[str], tagger: Tagger | None = None) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt on every access: read it once
        self.places = places
        self.tagger = tagger
        self.ents = entity_index(doc)
        # names the model marks somewhere in the article: "Chalmers" alone once means
        # "Chalmers and Volvo Group" is two names
        self.known = {e.text for e in doc.ents if e.label_ in {"ORG", "PERSON", "GPE"}}
        self.known_orgs = {e.text for e in doc.ents if e.label_ == "ORG"}
        self.verbs: set[int] = set()  # finite verbs of the current sentence: a name ends there
        self.blocked: set[int] = set()  # verbs and descriptions of all sentences: in no name
        self.headline = False

    def start_sentence(self, sent: Span) -> None:
        """Find the verbs of a sentence before scanning it (re-tagged when it is a headline)."""
        # a word the model puts inside an entity ("Kunpeng + Ascend") is no verb that ends a name
        tagged = {t.i for t in sent if t.tag_ in FINITE_VERB_TAGS and t.ent_iob_ == "O"}
        self.verbs = tagged | headline_verbs(sent, self.tagger)
        self.blocked |= self.verbs
        self.headline = is_title_case(sent)

    def can_start(self, tok: Token, sent: Span) -> bool:
        """A capitalised word may open a name unless it is a title, a function word, a verb,
        or a sentence-initial word the tagger reads as no noun ("Relying on ...", "Deepen ...")."""
        if (
            not is_cap(tok)
            or tok.lower_ in NOT_NAME_START
            or tok.lower_ in TITLE_WORDS
            or tok.i in self.verbs
        ):
            return False
        return not (
            tok.i == sent.start
            and tok.pos_ not in {"PROPN", "NOUN", "ADJ", "NUM", "X"}
            and not is_acronym(tok)
        )

    def _in_name(self, tok: Token) -> bool:
        if not is_cap(tok) or tok.lower_ in TITLE_WORDS or tok.i in self.verbs:
            return False
        # "Acme Australia Vice-President", "Acme General Manager": a rank word before a title
        nxt = self.doc[tok.i + 1 : tok.i + 3]
        return not (
            tok.lower_ in RANK_WORDS
            and any(
                t.lower_ in TITLE_WORDS or t.lower_ in LEAD_TITLE_WORDS
                for t in nxt
                if t.text not in {"-", "–"}
            )
        )

    # -- runs ---------------------------------------------------------------------------
    def runs(self, sent: Span) -> list[tuple[int, int]]:
        """Maximal token runs [i, j) that may hold names."""
        doc = self.doc
        self.start_sentence(sent)
        out: list[tuple[int, int]] = []
        i = sent.start
        while i < sent.end:
            tok = doc[i]
            if tok.like_num and i > sent.start and doc[i - 1].text in POSSESSIVE:
                # "Chongqing's First Sino-foreign Institution": a description, not a name
                self.blocked.add(i)
                i += 1
                while i < sent.end and (
                    self._in_name(doc[i]) or doc[i].text in {"-", "–"} or doc[i - 1].text in {"-", "–"}
                ):
                    self.blocked.add(i)
                    i += 1
                continue
            if not self.can_start(tok, sent):
                i += 1
                continue
            j = i
            last = i
            k = i + 1
            while k < sent.end:
                t = doc[k]
                nxt = doc[k + 1] if k + 1 < sent.end else None
                if self._in_name(t):
                    last = k
                    k += 1
                    continue
                if t.like_num and nxt is not None and self._in_name(nxt) and t.i not in self.verbs:
                    k += 1  # "China Railway 15th Bureau Group", "Route 9 Partners"
                    continue
                if (
                    t.text in {"-", "–", "+"}
                    and nxt is not None
                    and is_cap(nxt)
                    and (not t.whitespace_ or t.text == "+")
                ):
                    k += 1  # "Sino-Russian", "Kunpeng + Ascend"
                    continue
                if t.text in {'"', "“", "”"} and nxt is not None and (is_cap(nxt) or t.text == "”"):
                    k += 1
                    continue
                if t.lower_ in NAME_CONNECTORS and nxt is not None:
                    nn = nxt
                    step = 1
                    if nn.lower_ == "the" and k + 2 < sent.end:
                        nn = doc[k + 2]
                        step = 2
                    if self._in_name(nn):
                        k += step
                        continue
                step = self.particle(i, k, sent)
                if step:
                    k += step
                    continue
                if t.text == "," and nxt is not None and nxt.lower_ in LEGAL_SUFFIXES:
                    k += 1
                    continue
                tail = self.comma_tail(i, k, sent) if t.text == "," else 0
                if tail:
                    last = tail - 1
                    k = tail
                    continue
                if t.text == "(" and self._years_paren(k, sent.end):
                    close = self._close_paren(k, sent.end)
                    last = close
                    k = close + 1
                    continue
                break
            j = last + 1
            out.append((i, j))
            i = max(j, i + 1)
        return out

    # -- commas inside names --------------------------------------------------------------
    def comma_tail(self, i: int, k: int, sent: Span) -> int:
        """End of a name that runs on past the comma at k, or 0.

        "Ministry of Higher Education, Research and Innovation", "Faculty of Philosophy,
        Letters and Human Sciences": after "<head> of", fields joined by commas and a final
        "and"; no field has a head word of its own or is a person. (A campus, "University of
        X, Y", reads like "University of Tokyo, Japan" and is left alone.)
        """
        doc = self.doc
        end = sent.end
        of = next((x for x in range(i + 1, k) if doc[x].lower_ == "of" and head_kind(doc[x - 1])), None)
        if of is None or any(doc[x].text == "," for x in range(i, k)):
            return 0
        x = k + 1
        saw_and = False
        while True:
            s = x
            while x < end and self._in_name(doc[x]):
                ent = self.ents.get(x)
                if head_kind(doc[x]) or is_acronym(doc[x]) or (ent is not None and ent.label_ == "PERSON"):
                    return 0
                x += 1
            if x == s:
                return 0
            if saw_and:
                break
            if x + 1 < end and doc[x].text == "," and self._in_name(doc[x + 1]):
                x += 1
            elif x + 1 < end and doc[x].lower_ == "and" and self._in_name(doc[x + 1]):
                saw_and = True
                x += 1
            else:
                break
        if saw_and and (x >= end or not self._in_name(doc[x])):
            return x
        return 0

    # -- particles inside names -----------------------------------------------------------
    def particle(self, i: int, k: int, sent: Span) -> int:
        """How many tokens from k on continue the name begun at i through a particle; 0 if none.

        - "People's Government", "Lloyd's Register": a possessive the model reads inside one
          entity, or after a plural common noun, is part of the name (a place or an
          organisation before "'s" is an owner: "Acme's AI Lab" stays two names);
        - "Alliance of Universities in the Pearl River Delta", "University of Illinois at
          Urbana-Champaign": "in (the)"/"at" + a place, after a head word;
        - "Network to Advance Research": "to" + a capitalised verb after a head word, outside
          headlines (where "X to Join Y" is a sentence).
        """
        doc = self.doc
        t = doc[k]
        end = sent.end
        if k + 1 >= end:
            return 0
        nxt = doc[k + 1]
        has_head = any(head_kind(doc[x]) for x in range(i, k))
        if t.text in POSSESSIVE and self._in_name(nxt):
            if head_kind(doc[k - 1]) or is_acronym(doc[k - 1]):
                return 0  # "Acme University's College of X": an owner, however the model reads it
            before, after = self.ents.get(k - 1), self.ents.get(k + 1)
            same = before is not None and before is after
            owner = before is not None and before.label_ in {"GPE", "ORG", "LOC", "NORP"} and not same
            if same or (doc[k - 1].tag_ in {"NNS", "NNPS"} and not owner and not head_kind(doc[k - 1])):
                return 1
            return 0
        if t.text in {"-", "–"} and not t.whitespace_ and not doc[k - 1].whitespace_ and nxt.is_alpha:
            if k + 2 < end and nxt.text.islower() and self._in_name(doc[k + 2]):
                return 2  # "Xili Sub-district Office": a hyphenated lower-case word inside a name
            return 0
        in_the = t.lower_ == "in" and nxt.lower_ == "the"  # "... in the Pearl River Delta"
        at_campus = t.lower_ == "at" and any(
            doc[x].lower_ == "of" for x in range(i, k)
        )  # "University of X at Y"
        if (in_the or at_campus) and has_head and not self.headline:
            s = k + 2 if nxt.lower_ == "the" else k + 1
            if s >= end or not self._in_name(doc[s]) or is_acronym(doc[s]):
                return 0
            place = self.ents.get(s)
            through = self.ents.get(k)  # the model's entity runs through "at"/"in"
            if through is not None and through.label_ == "ORG" and through.end > s:
                stop = s
                while stop < min(end, through.end) and self._in_name(doc[stop]):
                    stop += 1
                if any(head_kind(doc[x]) for x in range(s, stop)):
                    return 0
                return s - k
            if place is None or place.label_ not in {"GPE", "LOC"} or place.start != s:
                return 0
            if any(head_kind(doc[x]) for x in range(s, min(end, place.end + 1))):
                return 0
            return s - k
        if t.lower_ == "to" and has_head and not self.headline and nxt.tag_ == "VB" and self._in_name(nxt):
            kind = next((head_kind(doc[x]) for x in range(k - 1, i - 1, -1) if head_kind(doc[x])), None)
            if kind in {"Alliance", "Program", "Institute"}:
                return 1
        return 0

    def _close_paren(self, k: int, end: int) -> int:
        for x in range(k + 1, min(end, k + 12)):
            if self.doc[x].text == ")":
                return x
        return k

    def _years_paren(self, k: int, end: int) -> bool:
        close = self._close_paren(k, end)
        return close > k and bool(YEARS.match(self.doc[k + 1 : close].text.replace(" ", "")))

    # -- names inside runs --------------------------------------------------------------
    def names_in_run(self, i: int, j: int) -> list[Mention]:
        """Split a run at titles, coordinations and connectors into named mentions."""
        doc = self.doc
        toks = list(range(i, j))
        # strip quotes and determiners at the edges
        while toks and (doc[toks[0]].text in {'"', "“", "”"} or doc[toks[0]].lower_ in {"the", "a", "an"}):
            toks.pop(0)
        while toks and doc[toks[-1]].text in {'"', "“", "”", "-"}:
            toks.pop()
        if not toks:
            return []
        i, j = toks[0], toks[-1] + 1
        # split coordinations "A Center and B Co., Ltd.", "Acme and the Northvale Institute";
        # "and the" first: a name never holds it, so it is the surest cut
        conj = [k for k in range(i + 1, j - 1) if doc[k].lower_ in {"and", "&"}]
        conj.sort(key=lambda k: doc[k + 1].lower_ != "the")
        for k in conj:
            if splits_at(
                doc,
                i,
                j,
                k,
                named=lambda a, b: self.parse_name(a, b) is not None,
                complete=self._complete,
                ents=self.ents,
                known=self.known,
            ):
                return self.names_in_run(i, k) + self.names_in_run(k + 1, j)
        found = self.parse_name(i, j)
        if found is not None:
            out = [found]
            if found.parent is not None:
                found.parent.inner = True
                out.append(found.parent)
            return out
        # no name over the whole run: try after each connector ("Notice on X Projects")
        for k in range(i + 1, j - 1):
            if doc[k].lower_ in {"for", "of"}:
                sub = self.names_in_run(k + 1, j)
                if sub:
                    return sub
        return []

    def _complete(self, i: int, k: int) -> bool:
        """Does [i, k) end a name (a head noun, a legal suffix or an acronym parent)?"""
        last = self.doc[k - 1]
        if head_kind(last) or last.lower_ in LEGAL_SUFFIXES or self._head_before_place(i, k):
            return True
        core_end = self._core_end(i, k)
        return core_end < k and head_kind(self.doc[core_end - 1]) is not None

    def _locative_of(self, i: int, j: int) -> int | None:
        """Where a second "of <country>" begins, after a name that already has its "of":
        "University of Nottingham of Britain" is the university, and where it is."""
        ofs = [x for x in range(i + 1, j) if self.doc[x].lower_ == "of"]
        if len(ofs) < 2:
            return None
        last = ofs[-1]
        place = self.ents.get(last + 1)
        if (
            place is not None
            and place.label_ in {"GPE", "LOC"}
            and place.start == last + 1
            and place.end == j
        ):
            return last
        return None

    def _head_before_place(self, i: int, j: int) -> str | None:
        """ "Imperial College London", "Acme Robotics Germany": a head word followed by the
        place the model marks is the name's head; the place is part of the name."""
        place = self.ents.get(j - 1)
        if place is not None and place.label_ in {"GPE", "LOC"} and place.end == j and place.start > i:
            return head_kind(self.doc[place.start - 1])
        if j - i >= 3 and self.doc[j - 1].text in self.places:  # the model saw the place elsewhere
            return head_kind(self.doc[j - 2])
        return None

    def _core_end(self, i: int, j: int) -> int:
        for k in range(i + 1, j):
            if self.doc[k].lower_ in {"of", "for", "in"}:
                return k
        return j

    def parse_name(self, i: int, j: int) -> Mention | None:
        """A typed name over tokens [i, j), or None when its core has no head noun."""
        doc = self.doc
        if i >= j:
            return None
        cut = self._locative_of(i, j)
        if cut is not None:
            return self.parse_name(i, cut)  # "University of Nottingham of Britain"
        core_end = self._core_end(i, j)
        core_head = doc[core_end - 1]
        kind = head_kind(core_head)
        if core_head.lower_ in LEGAL_SUFFIXES:
            kind = "Enterprise"
        place_short = None
        if kind is None and core_end == j:
            kind = self._head_before_place(i, j)
            if kind is not None:  # "Imperial College London" is also "Imperial College"
                place_short = clean_name(doc[i : j - 1].text)
        if kind is None and doc[i].lower_ in HEAD_INITIAL_UNIVERSITY and j - i >= 2:
            kind = "University"  # "Universiti Teknologi Malaysia": the head comes first
        if kind is None:
            return None
        if any(doc[x].lower_ in GOVERNANCE_WORDS for x in range(i, core_end)):
            parent = self._parent_in_tail(core_end, j) if core_end < j else None
            if parent is not None:
                parent.governance_of = parent
                return parent
            return None  # "the Party Committee" alone: its organisation's, not a name
        if (
            len(range(i, core_end)) == 1
            and core_end == j
            and (doc[i].lower_ in HEAD_TYPES or kind == "Subunit")
        ):
            return None  # a bare head noun ("Committee") is a reference, not a name
        start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
        name = self.text[start:end]
        mention = Mention(start=start, end=end, name=clean_name(name), kind=kind, tok_start=i, tok_end=j)
        if place_short is not None and " " in place_short:
            mention.short = place_short
        if core_end < j:
            parent = self._parent_in_tail(core_end, j)
            if parent is not None:
                mention.parent = parent
                short_end = doc[parent.tok_start - 2].idx + len(doc[parent.tok_start - 2])
                if doc[parent.tok_start - 1].lower_ == "the":
                    short_end = doc[parent.tok_start - 3].idx + len(doc[parent.tok_start - 3])
                short = clean_name(self.text[start:short_end])
                if " " in short:  # "Office" alone is no name ("Office of the Foundation")
                    mention.short = short
        if kind == "Enterprise":
            bare = strip_legal(mention.name)
            if bare != mention.name:
                mention.aliases.append(bare)
        return mention

    def _parent_in_tail(self, core_end: int, j: int) -> Mention | None:
        """The last "of <Org>" in the tail [core_end, j) that is itself a name."""
        doc = self.doc
        for k in range(core_end, j):
            if doc[k].lower_ != "of":
                continue
            s = k + 1
            if s < j and doc[s].lower_ == "the":
                s += 1
            if s >= j:
                continue
            sub = self.parse_name(s, j)
            if sub is not None:
                return sub
            ent = self.ents.get(s)
            exact = ent is not None and ent.label_ == "ORG" and ent.start == s and ent.end == j
            tail = doc[s:j]
            plain = not any(t.lower_ in {"and", "&", ","} for t in tail)  # not a field list
            if (exact or tail.text in self.known_orgs) and plain and not ACRONYM.match(tail.text):
                # "Innovation Center of Huawei": an organisation the model knows, without a head
                return Mention(
                    start=tail.start_char,
                    end=tail.end_char,
                    name=clean_name(tail.text),
                    kind="Enterprise",
                    tok_start=s,
                    tok_end=j,
                )
            if s == j - 1 and ACRONYM.match(doc[s].text):
                return Mention(
                    start=doc[s].idx,
                    end=doc[s].idx + len(doc[s]),
                    name=doc[s].text,
                    kind="",
                    tok_start=s,
                    tok_end=j,
                    acronym=True,
                )
        return None

    # -- plural heads ---------------------------------------------------------------------
    def distribute(self, sent: Span) -> list[Mention]:
        """ "Shaanxi's Provincial Departments of A, B, and C" → three departments."""
        doc = self.doc
        out: list[Mention] = []
        for tok in sent:
            if tok.lower_ not in PLURAL_GOV or not is_cap(tok):
                continue
            k = tok.i + 1
            if k >= sent.end or doc[k].lower_ != "of":
                continue
            # prefix: capitalised words before the head, and a possessive place
            p = tok.i
            while p - 1 >= sent.start and is_cap(doc[p - 1]):
                p -= 1
            place = None
            if p - 2 >= sent.start and doc[p - 1].text in {"'s", "’s"}:
                place = doc[p - 2].text
            items: list[list[Token]] = [[]]
            x = k + 1
            while x < sent.end:
                t = doc[x]
                if t.text == ",":
                    items.append([])
                elif t.lower_ == "and" and not items[-1]:
                    pass
                elif is_cap(t) or (t.lower_ == "and" and items[-1]):
                    items[-1].append(t)
                else:
                    break
                x += 1
            items = [it for it in items if it and it[-1].lower_ != "and"]
            if len(items) < 2:
                continue
            singular = tok.text[:-1] if not tok.lower_.endswith("ies") else tok.text[:-3] + "y"
            prefix = " ".join(t.text for t in doc[p : tok.i])
            start, end = doc[p].idx, doc[x - 1].idx + len(doc[x - 1])
            for it in items:
                body = " ".join(t.text for t in it)
                name = " ".join(w for w in (place, prefix, singular, "of", body) if w)
                out.append(
                    Mention(
                        start=start,
                        end=end,
                        name=name,
                        kind=HEAD_TYPES.get(tok.lower_, "GovernmentBody"),
                        tok_start=p,
                        tok_end=x,
                        place=place,
                    )
                )
        return out


def clean_name(name: str) -> str:
    name = name.replace("“", "").replace("”", "").replace('"', "")
    name = re.sub(r"\s+", " ", name).strip(" ,.;:")
    if name.endswith((" Co", " Ltd", " Inc", " Corp")):
        name += "."
    return name


def strip_legal(name: str) -> str:
    words = name.replace(",", " ").split()
    while words and words[-1].lower() in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words) or name


def find_mentions(doc: Doc, tagger: Tagger | None = None) -> list[Mention]:
    """All organisation, programme, person and place mentions of a parsed doc, in text order."""
    places = {e.text for e in doc.ents if e.label_ in {"GPE", "LOC"}}
    scanner = NameScanner(doc, places, tagger)
    found: list[Mention] = []
    unnamed_runs: list[tuple[int, int]] = []  # capitalised runs with no head-word name in them
    for sent in doc.sents:
        if in_boilerplate(sent):
            continue
        distributed = scanner.distribute(sent)
        found.extend(distributed)
        covered = {x for m in distributed for x in range(m.tok_start, m.tok_end)}
        for i, j in scanner.runs(sent):
            if i in covered:
                continue
            named = scanner.names_in_run(i, j)
            found.extend(named)
            if not named:
                unnamed_runs.append((i, j))
    taken = {c for m in found for c in range(m.start, m.end)}
    found.extend(lowercase_alliances(doc, taken))
    found.extend(honorific_people(doc, found))
    found.extend(model_mentions(doc, found, scanner.blocked, unnamed_runs))
    found.extend(attach_parentheticals(doc, found))
    found.extend(list_mentions(doc, found))
    text = doc.text
    found = [m for m in found if not boilerplate_at(text, m.start)]
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def honorific_people(doc: Doc, found: list[Mention]) -> list[Mention]:
    """ "Prof RK Singh": a person, whatever the model reads there."""
    taken = {c for m in found for c in range(m.start, m.end)}
    return [Mention.of_span(doc[i:j], "Person") for i, j in honorific_names(doc, taken)]


MODEL_LABELS = {"ORG", "GPE", "PERSON", "NORP", "FAC", "LOC"}
# prepositions that make a coordinated place a place ("in Beijing and Shanghai")
PLACE_PREPOSITIONS = {"in", "at", "from", "across", "to", "throughout", "near", "outside"}


def sentence_bounds(span: Span) -> tuple[int, int]:
    sent = span.sent
    return sent.start, sent.end


def coordinated_with_org(doc: Doc, span: Span, org_starts: set[int], org_ends: set[int]) -> bool:
    """Is the span one item of "A and B" / "A, B" whose other item is a typed organisation
    name, and not a place after a preposition ("in Beijing and ...")?"""
    s, e = span.start, span.end
    glue = {"and", "&"}
    if s >= 1 and doc[s - 1].lower_ in PLACE_PREPOSITIONS:
        return False
    if s >= 2 and doc[s - 1].text == "," and (s - 1 in org_ends or doc[s - 2].text == ")"):
        return False  # "Acme Institute (AI), Japan and Northvale University": where Acme is
    after = e + 1 if e < len(doc) and doc[e].lower_ in glue else None
    if after is not None and after < len(doc) and doc[after].lower_ == "the":
        after += 1
    if after is not None and after in org_starts:
        return True
    before = s - 1 if s >= 1 and doc[s - 1].lower_ in glue else None
    return before is not None and before in org_ends


def span_head(doc: Doc, span: Span) -> str | None:
    """Type given by the head word of a model span's core (before "of"/"for"/"in"/"at"),
    skipping a place at its end ("Imperial College London"); None without one. A head in
    the tail ("Tournament for University Lecturers") says nothing of the name."""
    core_end = next((t.i for t in span[1:] if t.lower_ in {"of", "for", "in", "at", "to", "with"}), span.end)
    last = core_end - 1
    while last > span.start and doc[last].ent_type_ in {"GPE", "LOC"} and doc[last].ent_iob_ != "O":
        if head_kind(doc[last - 1]):
            break
        last -= 1
    if last <= span.start:
        return None
    return head_kind(doc[last])


def used_as_place(doc: Doc, text: str) -> bool:
    """Does the article put the name after a place preposition somewhere ("in Japan")?"""
    return any(
        e.text == text
        and e.start > 0
        and (
            doc[e.start - 1].lower_ in PLACE_PREPOSITIONS
            or (
                doc[e.start - 1].lower_ == "the"
                and e.start > 1
                and doc[e.start - 2].lower_ in PLACE_PREPOSITIONS
            )
        )
        for e in doc.ents
        if e.label_ in {"GPE", "LOC"}
    )


def model_kind(
    doc: Doc, ent: Span, span: Span, org_starts: set[int], org_ends: set[int]
) -> tuple[str, bool] | None:
    """(type, kept only if a relation needs it) for a model entity the name scanner missed,
    or None to skip it. The model's label is a first guess; a class noun next to the name or a
    coordinated organisation overrides it ("tech giant Cisco" is no place)."""
    lo, hi = sentence_bounds(span)
    text = span.text
    if len(span) == 1 and span[0].lower_ in LEAD_TITLE_WORDS:
        return None  # "CEO", "CTO"
    if len(span) == 1 and ACRONYM.match(text):
        if ent.label_ in {"GPE", "LOC"} and used_as_place(doc, text):
            return "Place", False  # "universities in the UK": a country's short name
        return "", False
    ctx = context_type(doc, span.start, span.end, lo, hi) if ent.label_ in {"ORG", "GPE", "PERSON"} else None
    if ctx is not None:
        return ctx, False
    head = span_head(doc, span)
    if ent.label_ == "ORG" and head is not None and head != "Subunit":
        return head, False  # "Imperial College London": the model's span, the head's type
    coordinated = ent.label_ in {"GPE", "PERSON"} and coordinated_with_org(doc, span, org_starts, org_ends)
    if coordinated and (ent.label_ != "GPE" or not used_as_place(doc, span.text)):
        return "Enterprise", False
    if ent.label_ == "PERSON" and len(span) >= 2 and all(is_cap(t) for t in span):
        return "Person", False
    if ent.label_ in {"GPE", "LOC"} and span[-1].tag_ not in {"NNS", "NNPS"}:
        return "Place", False
    if ent.label_ != "ORG" or not all(is_cap(t) or t.lower_ in NAME_CONNECTORS for t in span):
        return None
    if any(t.lower_ in LEAD_TITLE_WORDS or t.lower_ in HEAD_TYPES for t in span) and len(span) == 1:
        return None
    if len(span) == 1 and (
        span[0].pos_ != "PROPN" or (span.start > 0 and doc[span.start - 1].lower_ == "the")
    ):
        return None  # "the Sultanate", "the Alliance": a common noun the model capitalised
    if span[-1].lower_ in VENUE_WORDS:
        return None  # "the Administration Building": a venue, not an organisation
    if any(e.text == text and e.label_ in {"GPE", "LOC"} for e in doc.ents):
        return None  # the model calls it a place elsewhere ("Bengaluru's ITI Ltd")
    if span.start > 0 and doc[span.start - 1].lower_ in {"a", "an"}:
        return None  # "an Industry Training Organisation": a description
    # a head-less name the model saw once may be a topic ("Smart Home"): kept where a relation
    # uses it; seen as an organisation twice, it is a name of its own ("Versalis")
    seen = sum(1 for e in doc.ents if e.label_ == "ORG" and e.text.endswith(text))
    return "Enterprise", seen < 2


def model_mentions(
    doc: Doc,
    names: list[Mention],
    blocked: set[int] | None = None,
    runs: list[tuple[int, int]] | None = None,
) -> list[Mention]:
    """People, places, organisations without a head word ("Lockheed Martin", "Versalis") and
    acronyms that the name scanner did not cover, from the model's entities."""
    taken: set[int] = set()
    for m in names:
        taken.update(range(m.start, m.end))
    # multi-word names the model marks somewhere: "Lockheed" cut from "Lockheed Martin's" grows back
    longer = sorted(
        {e.text for e in doc.ents if e.label_ in {"ORG", "PERSON"} and len(e) > 1}, key=len, reverse=True
    )
    org_starts = {m.tok_start for m in names if m.kind not in {"Person", "Place", "Program", ""}}
    org_ends = {m.tok_end for m in names if m.kind not in {"Person", "Place", "Program", ""}}
    out: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in MODEL_LABELS:
            continue
        span = trim_span(ent)
        if span is not None and blocked:
            cut = next((x for x in range(span.start, span.end) if x in blocked), span.end)
            span = trim_span(doc[span.start : cut]) if cut > span.start else None
        if span is not None and ent.label_ == "ORG":
            span = trim_span(extend_to_known(extend_to_run(span, runs or []), longer))
        if span is None or any(c in taken for c in range(span.start_char, span.end_char)):
            continue
        if len(span) == 1 and (span[0].lower_ in HEAD_TYPES or span[0].lower_ in SUBUNIT_HEADS):
            continue  # "Committee" alone is a reference, resolved later
        if any(t.lower_ in GOVERNANCE_WORDS for t in span):
            continue  # "the College Board" is the college's board: a reference to the college
        decided = model_kind(doc, ent, span, org_starts, org_ends)
        if decided is None:
            continue
        kind, only_for_relations = decided
        if kind == "Place":
            span = extend_place(span)
        out.append(
            Mention(
                start=span.start_char,
                end=span.end_char,
                name=clean_name(span.text),
                kind=kind,
                tok_start=span.start,
                tok_end=span.end,
                acronym=kind == "",
                from_model=only_for_relations,
            )
        )
        taken.update(range(span.start_char, span.end_char))
    # acronyms the model missed
    for tok in doc:
        if (
            ACRONYM.match(tok.text)
            and tok.text.isupper()
            and tok.idx not in taken
            and tok.lower_ not in LEAD_TITLE_WORDS
        ):
            out.append(
                Mention(
                    start=tok.idx,
                    end=tok.idx + len(tok),
                    name=tok.text,
                    kind="",
                    tok_start=tok.i,
                    tok_end=tok.i + 1,
                    acronym=True,
                )
            )
            taken.update(range(tok.idx, tok.idx + len(tok)))
    return out


def list_mentions(doc: Doc, found: list[Mention]) -> list[Mention]:
    """Untyped items of lists of organisations (see names/lists.py): new mentions, or the
    model's untyped mention of that item retyped in place."""
    text = doc.text
    spans: dict[int, int] = {}
    by_span: dict[tuple[int, int], Mention] = {}
    for m in found:
        if m.generic or m.inner:
            continue
        spans[m.tok_start] = max(spans.get(m.tok_start, 0), m.tok_end)
        by_span[(m.tok_start, m.tok_end)] = m
    kinds = {span: m.kind for span, m in by_span.items() if m.kind and not m.from_model}
    out: list[Mention] = []
    for sent in doc.sents:
        for (i, j), kind in list_types(doc, sent, kinds, spans):
            for inside in [
                m for m in found if i <= m.tok_start and m.tok_end <= j and (m.tok_start, m.tok_end) != (i, j)
            ]:
                if inside.from_model or not inside.kind:
                    found.remove(inside)  # "AMI" inside "AMI-Manchester"
            old = by_span.get((i, j))
            if old is not None:
                old.kind, old.from_model, old.acronym = kind, False, False
                continue
            span = doc[i:j]
            if boilerplate_at(text, span.start_char):
                continue
            out.append(
                Mention(
                    start=span.start_char,
                    end=span.end_char,
                    name=clean_name(span.text),
                    kind=kind,
                    tok_start=i,
                    tok_end=j,
                )
            )
    return out


def extend_to_known(span: Span, longer: list[str]) -> Span:
    """A one-word model organisation that begins a longer name the model marks elsewhere in
    the article is that name cut short: extend it."""
    if len(span) != 1:
        return span
    doc = span.doc
    text = doc.text
    for name in longer:
        if name.startswith(span.text + " ") and text.startswith(name, span.start_char):
            grown = doc.char_span(span.start_char, span.start_char + len(name))
            if grown is not None:
                return grown
    return span


def extend_to_run(span: Span, runs: list[tuple[int, int]]) -> Span:
    """A model organisation cut short inside a name-shaped run ("Cisco Australia &" in "Cisco
    Australia & New Zealand Vice-President") runs to the end of the run, which already stops
    at titles, verbs and lower-case words; the run must not hold a second "and"-joined name."""
    for i, j in runs:
        if i <= span.start and span.end < j and not any(t.lower_ == "and" for t in span.doc[span.end : j]):
            return span.doc[span.start : j]
    return span


def extend_place(span: Span) -> Span:
    """ "Yangtze River" + "Delta" → "Yangtze River Delta": the model often stops one word short."""
    doc = span.doc
    e = span.end
    while e < len(doc) and is_cap(doc[e]) and doc[e].pos_ == "PROPN" and doc[e].lower_ not in HEAD_TYPES:
        e += 1
    return doc[span.start : e]


def trim_span(span: Span) -> Span | None:
    """Drop leading determiners/titles and a trailing possessive from a model entity."""
    s, e = span.start, span.end
    doc = span.doc
    while s < e and (doc[s].lower_ in NOT_NAME_START or doc[s].lower_ in TITLE_WORDS or doc[s].is_punct):
        s += 1
    while e > s and (
        doc[e - 1].text in {"'s", "’s", "'"} or doc[e - 1].is_punct or doc[e - 1].pos_ in {"CCONJ", "ADP"}
    ):
        e -= 1
    return doc[s:e] if e > s else None


def attach_parentheticals(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Name (ALIAS)" → alias; "Name (Place)" → place. Returns new mentions for aliases the
    other passes missed (a lone "(Stankin)" the model calls a person)."""
    by_end = {m.tok_end: m for m in mentions if m.kind not in {"Person", "Place", ""}}
    by_start = {m.tok_start: m for m in mentions}
    places = {m.name for m in mentions if m.kind == "Place"}
    new: list[Mention] = []
    for end_tok, owner in by_end.items():
        if end_tok + 2 >= len(doc) or doc[end_tok].text != "(":
            continue
        close = next((x for x in range(end_tok + 1, min(len(doc), end_tok + 7)) if doc[x].text == ")"), None)
        if close is None or close == end_tok + 1:
            continue
        inner = doc[end_tok + 1 : close]
        if not all(is_cap(t) or t.text in {"-", "&"} for t in inner) or YEARS.match(inner.text):
            continue
        m = by_start.get(end_tok + 1)
        if inner.text in places or (m is not None and m.kind == "Place"):
            owner.place = inner.text
            continue
        owner.aliases.append(inner.text)
        if m is None or m.kind == "Person":
            if m is not None:
                mentions.remove(m)
            m = Mention(
                start=inner.start_char,
                end=inner.end_char,
                name=inner.text,
                kind="",
                tok_start=inner.start,
                tok_end=inner.end,
            )
            new.append(m)
        m.kind = owner.kind
        m.parent = None
        m.from_model = False
        m.aliases.append(owner.name)
    return new


def lowercase_alliances(doc: Doc, taken: set[int]) -> list[Mention]:
    """ "the Yangtze and Volga rivers university alliance": a proper-noun-led name whose
    head is a lower-case alliance word."""
    out: list[Mention] = []
    for tok in doc:
        if tok.text not in {"alliance", "consortium", "association", "league"} or tok.idx in taken:
            continue
        s = tok.i
        while s - 1 >= 0 and (doc[s - 1].pos_ in {"PROPN", "NOUN", "ADJ"} or doc[s - 1].lower_ == "and"):
            s -= 1
        while s < tok.i and not is_cap(doc[s]):
            s += 1
        if s >= tok.i or s == 0 or doc[s - 1].lower_ not in {"the", "a", "an"}:
            continue
        if any(
            doc[x].tag_ == "NNS" and doc[x].lower_.endswith(("universities", "colleges"))
            for x in range(s, tok.i)
        ):
            continue
        out.append(Mention.of_span(doc[s : tok.i + 1], "Alliance"))
    return out


def setup_extensions() -> None:
    if not Doc.has_extension("edukg_mentions"):
        Doc.set_extension("edukg_mentions", default=None)


class NameFinder:
    """The `edukg_names` pipeline component."""

    def __init__(self, nlp: Language, name: str = "edukg_names") -> None:
        self.name = name
        setup_extensions()
        # tok2vec + tagger, to re-tag Title-Case headlines in lower case (see names/headline.py)
        procs = [nlp.get_pipe(p) for p in ("tok2vec", "tagger") if p in nlp.pipe_names]
        self.tagger: Tagger | None = pipeline_tagger(procs) if len(procs) == 2 else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.edukg_mentions = find_mentions(doc, self.tagger)
        return doc


@Language.factory("edukg_names", assigns=["doc._.edukg_mentions"], requires=["doc.ents", "token.dep"])
def make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder(nlp, name)
