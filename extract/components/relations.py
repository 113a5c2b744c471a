"""spaCy component `edukg_relations`: typed relations with evidence, read off the parse.

Rules work on the dependency tree and the entity mentions of each sentence:
- establishment, passive ("X was jointly established by A and B", "hosted by A") or active
  ("A will establish X", "A announced the establishment of X, Y and Z", "they will jointly promote
  the construction of X") → establishedBy, plus partnersWith between co-founders and partOf for a
  college-like unit one university sets up;
- cooperation ("in partnership with B", "an agreement between A and B", "both sides reached
  consensus") → partnersWith;
- membership ("incorporated 5 member universities including A, B ...", "A joined X",
  "as the newest member, A") → memberOf, one per listed member;
- leadership ("P, president of X", "X President P", "P, College President") → leads;
- location ("X in P", "X (P)", "P's X", a place in X's own name that the text also names) →
  locatedIn; naming ("X of Y", "X was established at Y") → partOf.
Negated or hedged statements ("did not sign", "may establish", "if ...") are not asserted.
Sets `doc._.relations`, a list of `RelationItem`s.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.lexicon import HEDGES, LEAD_TITLE_WORDS, NEGATIONS, TITLE_WORDS

EST_VERBS = {
    "establish",
    "found",
    "launch",
    "set",
    "build",
    "create",
    "initiate",
    "host",
    "open",
    "inaugurate",
    "co-build",
    "cobuild",
    "construct",
    "develop",
    "propose",
    "form",
    "start",
    "sponsor",
    "organize",
    "organise",
    "co-found",
    "unveil",
    "incubate",
    "jointly",
}
EST_NOUNS = {"establishment", "construction", "creation", "founding", "launch", "building", "setup"}
PARTNER_WORDS = {
    "partnership",
    "cooperation",
    "co-operation",
    "collaboration",
    "cooperate",
    "collaborate",
    "partner",
    "agreement",
    "contract",
    "memorandum",
    "mou",
    "alliance",
    "consensus",
    "ties",
    "understanding",
}
AGREE_VERBS = {"sign", "reach", "conclude", "ink", "establish", "form", "forge", "enter", "renew"}
MEMBER_WORDS = {"member", "members", "membership", "incorporate", "include", "join", "comprise"}
COLLEGE_HEADS = {
    "college",
    "school",
    "academy",
    "institute",
    "center",
    "centre",
    "lab",
    "laboratory",
    "department",
    "faculty",
}
ROLE_NOUNS = {
    "president",
    "presidents",
    "representative",
    "representatives",
    "leader",
    "leaders",
    "head",
    "heads",
    "delegation",
    "delegations",
    "secretary",
    "director",
    "dean",
}
GROUP_NOUNS = {"universities", "colleges", "members", "institutions", "schools"}
ORG_TYPES = {"University", "Enterprise", "Alliance", "GovernmentBody", "Institute"}
FOUNDED_TYPES = {"Institute", "Program", "Alliance", "University", "GovernmentBody", "Enterprise"}
# what an organisation "establishes/builds/launches" in the active voice: units, programmes,
# alliances; never its partners ("build a lab with the company" does not found the company)
BUILT_TYPES = {"Institute", "Program", "Alliance"}


@dataclass
class RelationItem:
    """One relation between two entity clusters, with the sentence that states it."""

    head: EntityCluster
    label: str
    tail: EntityCluster
    sentence: Span
    confidence: float


def subtree_ids(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


class SentenceRules:
    """Applies the relation rules to one doc, sentence by sentence."""

    def __init__(self, doc: Doc, clusters: list[EntityCluster]) -> None:
        self.doc = doc
        self.clusters = clusters
        self.mentions: list[Mention] = [m for m in (doc._.edukg_mentions or []) if m.entity is not None]
        self.out: list[RelationItem] = []
        self.members: dict[int, list[EntityCluster]] = {}  # alliance id() → members so far
        self.parties: list[EntityCluster] = []
        self.tok_mention: dict[int, Mention] = {}
        for m in sorted(self.mentions, key=lambda m: (m.inner, -(m.tok_end - m.tok_start))):
            for i in range(m.tok_start, m.tok_end):
                self.tok_mention.setdefault(i, m)
        self.publisher = next((c for c in clusters if c.publisher), None)

    # -- helpers --------------------------------------------------------------------------
    def add(
        self, head: EntityCluster | None, label: str, tail: EntityCluster | None, sent: Span, conf: float
    ) -> None:
        if head is None or tail is None or head is tail:
            return
        if label in {"partnersWith", "memberOf", "establishedBy", "partOf"} and tail.type not in ORG_TYPES:
            return
        if label == "partnersWith" and head.type not in ORG_TYPES:
            return
        if label == "locatedIn" and (tail.type != "Place" or head.type not in ORG_TYPES):
            return
        if label == "leads" and (head.type != "Person" or tail.type not in ORG_TYPES):
            return
        if label == "memberOf" and tail.type != "Alliance":
            return
        self.out.append(RelationItem(head, label, tail, sent, conf))

    def mentions_in(self, ids: set[int], *, outer: bool = True) -> list[Mention]:
        seen: list[Mention] = []
        for i in sorted(ids):
            m = self.tok_mention.get(i)
            if m is not None and m not in seen and (not outer or not m.inner):
                seen.append(m)
        return seen

    def mention_at(self, tok: Token) -> Mention | None:
        return self.tok_mention.get(tok.i)

    def orgs(self, ids: set[int]) -> list[EntityCluster]:
        out: list[EntityCluster] = []
        for m in self.mentions_in(ids):
            c = m.entity
            if isinstance(c, EntityCluster) and c.type in ORG_TYPES and c not in out:
                out.append(c)
        return out

    def denied(self, tok: Token) -> bool:
        """Is the clause of `tok` negated or hedged?"""
        t: Token | None = tok
        for _ in range(4):
            if t is None:
                break
            for child in t.children:
                if (
                    child.dep_ == "neg"
                    or child.lower_ in NEGATIONS
                    and child.dep_ in {"neg", "det", "advmod"}
                ):
                    return True
                if child.dep_ in {"aux", "mark", "advmod"} and child.lower_ in HEDGES:
                    return True
            if t.dep_ in {"ROOT"} or t.head is t:
                break
            if t.dep_ not in {"xcomp", "conj", "acl", "advcl", "pcomp", "pobj", "prep", "dobj", "ccomp"}:
                break
            t = t.head
        sent = tok.sent
        first = sent[0].lower_ if len(sent) else ""
        return first in {"if", "unless", "whether"}

    def subject_of(self, tok: Token) -> list[EntityCluster]:
        """Organisations that are the subject of the clause governing `tok`."""
        t = tok
        for _ in range(12):
            for child in t.children:
                if child.dep_ == "nsubj":
                    found = self.subject_entities(child)
                    # a non-organisation subject of an enclosing clause may be a misparse
                    # ("... for students to serve ..., and planning to establish X"): look higher
                    if found or t is tok:
                        return found
                if child.dep_ == "nsubjpass" and t is tok:
                    return []  # a passive without agent names no founder
            if (
                t.dep_
                in {
                    "conj",
                    "advcl",
                    "xcomp",
                    "pcomp",
                    "pobj",
                    "prep",
                    "dobj",
                    "acl",
                    "relcl",
                    "advmod",
                    "npadvmod",
                }
                and t.head is not t
            ):
                if t.dep_ in {"acl", "relcl"}:
                    m = self.mention_at(t.head)
                    if m is not None:
                        return []
                t = t.head
                continue
            break
        return []

    def subject_entities(self, subj: Token) -> list[EntityCluster]:
        low = subj.lower_
        if low in {"they", "both", "sides", "parties"} or (low == "sides" and subj.i > 0):
            return list(self.parties)
        if low in GROUP_NOUNS and subj.tag_ == "NNS":
            alliance_members = [m for ms in self.members.values() for m in ms]
            definite = any(
                c.dep_ == "nummod" or c.lower_ in {"the", "these", "all", "alliance", "member"}
                for c in subj.children
            )
            if alliance_members and definite:
                return list(dict.fromkeys(alliance_members))
            return []
        if low in ROLE_NOUNS:
            for child in subj.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    return self.orgs(subtree_ids(child))
            return []
        ids = subtree_ids(subj)
        # drop clauses hanging off the subject ("X, which ...")
        for child in subj.children:
            if child.dep_ in {"relcl", "acl", "appos"}:
                ids -= subtree_ids(child)
        return self.orgs(ids)

    def college_like(self, c: EntityCluster) -> bool:
        return c.type == "Institute" and any(
            w.lower() in COLLEGE_HEADS for n in c.names for w in n.split(" of ")[0].split()[-1:]
        )

    def owner(self, c: EntityCluster) -> EntityCluster | None:
        """Whose sub-unit is `c`: its named parent, else the publisher, else the article's most
        mentioned university."""
        for m in c.mentions:
            if m.parent is not None and isinstance(m.parent.entity, EntityCluster):
                return m.parent.entity
        if self.publisher is not None:
            return self.publisher
        unis = [x for x in self.clusters if x.type == "University"]
        return max(unis, key=lambda x: len(x.mentions), default=None)

    # -- rules ----------------------------------------------------------------------------
    def run(self) -> list[RelationItem]:
        self.naming()
        for sent in self.doc.sents:
            self.update_parties(sent)
            self.establishment(sent)
            self.part_of_phrase(sent)
            self.partnership(sent)
            self.membership(sent)
            self.leadership(sent)
            self.led_by_verb(sent)
            self.location(sent)
        self.place_in_name()
        return self.out

    def naming(self) -> None:
        """ "X of Y" names a sub-unit; "Name (Place)" and "Place's X" place it."""
        for m in self.mentions:
            if m.generic or m.inner:
                continue
            sent = self.doc[m.tok_start].sent
            if m.parent is not None and m.entity.type in {"Institute", "GovernmentBody"}:
                self.add(m.entity, "partOf", m.parent.entity, sent, 0.9)
            if m.place:
                place = self.place_cluster(m.place)
                self.add(m.entity, "locatedIn", place, sent, 0.85)
            # "the School of Mechanical Engineering at X University"
            nxt = m.tok_end
            if (
                m.entity.type == "Institute"
                and nxt + 1 < len(self.doc)
                and self.doc[nxt].lower_ in {"at", "under", "within"}
            ):
                host = self.mention_at(self.doc[nxt + 1]) or (
                    self.mention_at(self.doc[nxt + 2]) if nxt + 2 < len(self.doc) else None
                )
                if host is not None and host.entity.type in {"University", "Enterprise", "GovernmentBody"}:
                    self.add(m.entity, "partOf", host.entity, sent, 0.8)

    def part_of_phrase(self, sent: Span) -> None:
        """ "X is part of Y", "X, a subsidiary of Y", "X is affiliated to Y"."""
        for tok in sent:
            low = tok.lower_
            if low in {"part", "subsidiary", "branch", "unit", "division"}:
                of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
                if not of:
                    continue
                parents = self.orgs(subtree_ids(of[0]))
                if tok.dep_ in {"attr", "appos"}:
                    anchor = tok.head
                    subj = (
                        [c for c in anchor.children if c.dep_ == "nsubj"] if tok.dep_ == "attr" else [anchor]
                    )
                    children = self.orgs(subtree_ids(subj[0]) - subtree_ids(tok)) if subj else []
                else:
                    continue
            elif low in {"affiliated", "attached", "subordinate"}:
                prep = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"to", "with"}]
                subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}] or (
                    [c for c in tok.head.children if c.dep_ == "nsubj"] if tok.dep_ == "acomp" else []
                )
                if not prep or not subj:
                    continue
                parents = self.orgs(subtree_ids(prep[0]))
                children = self.orgs(subtree_ids(subj[0]))
            else:
                continue
            if parents and children and not self.denied(tok):
                self.add(children[0], "partOf", parents[0], sent, 0.85)

    def place_cluster(self, name: str) -> EntityCluster | None:
        for c in self.clusters:
            if c.type == "Place" and name in c.names:
                return c
        return None

    def update_parties(self, sent: Span) -> None:
        """ "Both sides" / "they": the publisher and the latest other organisation talked with."""
        low = sent.text.lower()
        if not any(w in low for w in ("both sides", "two sides", "both parties", "the two parties")):
            return
        latest = next((r for r in reversed(self.out) if r.label == "partnersWith"), None)
        if latest is not None:
            self.parties = [latest.head, latest.tail]
            return
        before = [
            m for m in self.mentions if m.start < sent.end_char and not m.inner and m.entity.type in ORG_TYPES
        ]
        first = self.publisher
        if first is None and before:
            first = before[0].entity
        other = next(
            (
                m.entity
                for m in reversed(before)
                if m.entity is not first
                and m.entity.type in {"GovernmentBody", "Enterprise", "University", "Alliance"}
            ),
            None,
        )
        if first is not None and other is not None:
            self.parties = [first, other]
            verbs = [t for t in sent if t.lemma_ in {"reach", "sign", "agree"}]
            if verbs and not self.denied(verbs[0]):
                self.add(first, "partnersWith", other, sent, 0.7)

    def establishment(self, sent: Span) -> None:
        for tok in sent:
            lemma = tok.lemma_.lower()
            if lemma in EST_VERBS and tok.pos_ in {"VERB", "AUX"}:
                if lemma == "set" and not any(c.lower_ == "up" for c in tok.children):
                    continue
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                if agent is not None:
                    self.passive_establishment(tok, agent, sent)
                else:
                    self.active_establishment(tok, sent)
            elif lemma in EST_NOUNS and tok.pos_ == "NOUN":
                of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                if of is not None:
                    self.active_establishment(tok, sent, objects_from=of)

    def founded_thing(self, verb: Token, exclude: list[EntityCluster]) -> list[EntityCluster]:
        cands: list[Token] = []
        cands += [c for c in verb.children if c.dep_ == "nsubjpass"]
        if verb.dep_ in {"acl", "relcl", "amod"}:
            cands.append(verb.head)
        if verb.dep_ in {"advcl"}:
            cands += [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for cand in cands:
            m = self.mention_at(cand)
            found = [m.entity] if m is not None else []
            if not found:
                ids = subtree_ids(cand) - subtree_ids(verb) if cand is not verb.head else {cand.i}
                found = [x.entity for x in self.mentions_in(ids)]
            found = [c for c in found if c.type in FOUNDED_TYPES and c not in exclude]
            if found:
                return found
        return []

    def passive_establishment(self, verb: Token, agent: Token, sent: Span) -> None:
        founders = self.orgs(subtree_ids(agent))
        if not founders or self.denied(verb):
            return
        things = self.founded_thing(verb, founders)
        for thing in things:
            for f in founders:
                self.add(thing, "establishedBy", f, sent, 0.9)
            if len(founders) == 1 and founders[0].type == "University" and self.college_like(thing):
                self.add(thing, "partOf", founders[0], sent, 0.7)
        for a, b in itertools.combinations(founders, 2):
            self.add(a, "partnersWith", b, sent, 0.85)
        self.placed_at(verb, things, sent)

    def placed_at(self, verb: Token, things: list[EntityCluster], sent: Span) -> None:
        """ "X was established at Y (in P)" → X partOf Y (and X locatedIn P)."""
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in {"at", "within", "inside"}:
                hosts = self.orgs(subtree_ids(prep))
                for thing in things:
                    if hosts:
                        self.add(thing, "partOf", hosts[0], sent, 0.8)
                    for m in self.mentions_in(subtree_ids(prep)):
                        if m.entity.type == "Place":
                            self.add(thing, "locatedIn", m.entity, sent, 0.7)

    def active_establishment(self, tok: Token, sent: Span, objects_from: Token | None = None) -> None:
        if self.denied(tok):
            return
        if objects_from is not None:
            obj_ids = subtree_ids(objects_from)
            for c in tok.children:
                if c.dep_ == "conj":
                    obj_ids |= subtree_ids(c)
            if tok.dep_ == "pobj" and tok.head.lower_ in {
                "since",
                "after",
                "before",
                "during",
                "upon",
                "following",
                "until",
            }:
                return  # "since the establishment of X" dates something else
            gov = tok.head if tok.dep_ in {"dobj", "pobj", "nsubj"} else tok
            if tok.dep_ == "pobj":
                gov = tok.head.head
            founders = self.subject_of(gov)
        else:
            obj_ids = set()
            for c in tok.children:
                if c.dep_ in {"dobj", "attr", "oprd"}:
                    obj_ids |= subtree_ids(c)
                if c.dep_ == "prep" and c.lower_ in {"including", "with"}:
                    obj_ids |= subtree_ids(c)
            founders = self.subject_of(tok)
            if not founders and tok.dep_ in {"acl", "relcl"}:
                return
            passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if passive and not founders:
                self.placed_at(tok, self.founded_thing(tok, []), sent)
                return
        objects = [m for m in self.mentions_in(obj_ids) if m.entity.type in BUILT_TYPES and not m.generic]
        founders = [f for f in founders if all(f is not o.entity for o in objects)]
        if not objects or not founders:
            return
        if len(founders) >= 2 and self.named_or_parties(tok, founders):
            for a, b in itertools.combinations(founders, 2):
                self.add(a, "partnersWith", b, sent, 0.8)
        before = self.doc[max(tok.i - 2, 0) : tok.i].text.lower().replace(" ", "")
        joint = (
            before.endswith("co-")
            or "joint" in tok.lower_
            or any(c.lower_ in {"jointly", "together"} for c in tok.children)
            or len(founders) > 1
        )
        for o in objects:
            for f in founders:
                self.add(o.entity, "establishedBy", f, sent, 0.85)
            with_parent = self.with_parent(o, objects)
            if with_parent is not None:
                self.add(o.entity, "partOf", with_parent.entity, sent, 0.75)
            elif (
                not joint
                and len(founders) == 1
                and founders[0].type == "University"
                and self.college_like(o.entity)
            ):
                self.add(o.entity, "partOf", founders[0], sent, 0.75)

    def named_or_parties(self, tok: Token, founders: list[EntityCluster]) -> bool:
        """Were the co-founders named one by one ("A and B launched X") or as "both sides"?
        Members of an alliance acting together ("the six universities") are not pairwise
        partners on that account."""
        if founders == self.parties:
            return True
        t = tok
        for _ in range(12):
            subj = [c for c in t.children if c.dep_ == "nsubj"]
            if subj:
                return len(self.orgs(subtree_ids(subj[0]))) >= 2
            if t.head is t:
                return False
            t = t.head
        return False

    def with_parent(self, o: Mention, objects: list[Mention]) -> Mention | None:
        """ "establish X, with Y and Z constructed first" → Y and Z belong to X."""
        t = self.doc[o.tok_end - 1]
        for _ in range(6):
            if t.head.lower_ == "with" and t.head is not t:
                host = self.mention_at(t.head.head)
                if host is not None and host in objects and host is not o:
                    return host
                prev = [x for x in objects if x.end <= t.head.idx]
                return prev[-1] if prev else None
            if t.head is t:
                break
            t = t.head
        return None

    def partnership(self, sent: Span) -> None:
        for tok in sent:
            low = tok.lower_
            if low == "with" and tok.i > 0 and self.doc[tok.i - 1].lower_ in {"together", "jointly"}:
                gov = tok.head if tok.head.lower_ not in {"together", "jointly"} else tok.head.head
                partners = self.orgs(subtree_ids(tok))
                if partners and not self.denied(gov):
                    for a in self.subject_of(gov):
                        for p in partners:
                            self.add(a, "partnersWith", p, sent, 0.75)
                continue
            signing = any(c.lemma_.lower() in {"signing", "sign", "cooperation"} for c in tok.head.children)
            if low == "with" and (
                tok.head.lemma_.lower() in PARTNER_WORDS | {"partner", "cooperate"} or signing
            ):
                partners = self.orgs(subtree_ids(tok))
                if not partners or self.denied(tok.head):
                    continue
                gov = tok.head
                if gov.pos_ == "NOUN" and gov.head.lower_ == "in":
                    gov = gov.head.head
                if gov.dep_ in {"acl", "relcl"}:
                    thing_m = self.mention_at(gov.head)
                    if thing_m is not None:
                        thing = thing_m.entity
                        owner = self.owner(thing)
                        for p in partners:
                            self.add(thing, "establishedBy", p, sent, 0.8)
                            self.add(owner, "partnersWith", p, sent, 0.75)
                        if owner is not None:
                            self.add(thing, "establishedBy", owner, sent, 0.7)
                            if self.college_like(thing):
                                self.add(thing, "partOf", owner, sent, 0.7)
                        continue
                for a in self.subject_of(gov):
                    for p in partners:
                        self.add(a, "partnersWith", p, sent, 0.8)
            elif low == "between" and tok.head.lemma_.lower() in PARTNER_WORDS:
                if self.denied(tok.head):
                    continue
                orgs = self.orgs(subtree_ids(tok))
                for a, b in itertools.combinations(orgs, 2):
                    self.add(a, "partnersWith", b, sent, 0.85)
            elif tok.lemma_.lower() in AGREE_VERBS and tok.pos_ == "VERB":
                objs = [c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in PARTNER_WORDS]
                if not objs or self.denied(tok):
                    continue
                subs = [c for c in tok.children if c.dep_ == "nsubj"]
                orgs = self.orgs(subtree_ids(subs[0])) if subs else []
                if len(orgs) >= 2:
                    for a, b in itertools.combinations(orgs, 2):
                        self.add(a, "partnersWith", b, sent, 0.85)
                # "A signed a memorandum of understanding with B"
                withs = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"]
                partners = [p for w in withs for p in self.orgs(subtree_ids(w))]
                for a in orgs or self.subject_of(tok):
                    for p in partners:
                        self.add(a, "partnersWith", p, sent, 0.85)

    def membership(self, sent: Span) -> None:
        trig = [t for t in sent if t.lemma_.lower() in MEMBER_WORDS or t.lower_ in MEMBER_WORDS]
        if not trig:
            return
        if any(self.denied(t) for t in trig):
            return
        alliances = [
            m for m in self.mentions_in({t.i for t in sent}, outer=False) if m.entity.type == "Alliance"
        ]
        if not alliances:
            return
        alliance = alliances[0].entity
        first_trig = trig[0]
        members = []
        aside: set[int] = set()  # founders ("by X") and asides ("which was founded by X")
        for t in sent:
            if t.dep_ in {"relcl", "agent"} and not any(x.lemma_.lower() in MEMBER_WORDS for x in t.subtree):
                aside |= subtree_ids(t)
        for m in self.mentions_in({t.i for t in sent} - aside):
            c = m.entity
            if c.type in {"University", "Enterprise", "Institute", "GovernmentBody"} and c not in members:
                if (
                    first_trig.lemma_.lower() in {"include", "incorporate", "comprise"}
                    and m.start < first_trig.idx
                ):
                    continue
                members.append(c)
        for c in members:
            self.add(c, "memberOf", alliance, sent, 0.85)
        self.members.setdefault(id(alliance), [])
        for c in members:
            if c not in self.members[id(alliance)]:
                self.members[id(alliance)].append(c)

    def leadership(self, sent: Span) -> None:
        before = len(self.out)
        self.leaders(sent)
        led = [r.tail for r in self.out[before:] if r.label == "leads"]
        if self.publisher in led:
            for c in led:
                if c is not self.publisher and self.college_like(c) and self.owner(c) is self.publisher:
                    self.add(c, "partOf", self.publisher, sent, 0.6)

    def leaders(self, sent: Span) -> None:
        doc = self.doc
        for m in self.mentions_in({t.i for t in sent}):
            if m.entity.type != "Person":
                continue
            # "P, [the] TITLE of [the] ORG" / "P, ORG TITLE"
            k = m.tok_end
            if k < sent.end and doc[k].text == ",":
                k += 1
                span_end = min(sent.end, k + 25)
                title_at = None
                for x in range(k, span_end):
                    if doc[x].lower_ in LEAD_TITLE_WORDS and self.mention_at(doc[x]) is None:
                        title_at = x
                        break
                    if doc[x].text in {",", ";", "."}:
                        break
                if title_at is not None:
                    while title_at + 1 < sent.end and doc[title_at + 1].lower_ in LEAD_TITLE_WORDS:
                        title_at += 1  # "chief executive", "Executive Director"
                    org = None
                    if title_at + 1 < sent.end and doc[title_at + 1].lower_ == "of":
                        stop = title_at + 2
                        while stop < sent.end and doc[stop].text not in {",", ";", "."}:
                            stop += 1
                        orgs = self.orgs(set(range(title_at + 2, stop)))
                        org = orgs[0] if orgs else None  # "dean of the School of X at Y": the school
                    if org is None:
                        before = self.orgs(set(range(k, title_at)))
                        org = before[-1] if before else None
                    self.add(m.entity, "leads", org, sent, 0.9)
                    continue
            # "TITLE P of ORG"
            if (
                m.tok_end + 1 < sent.end
                and doc[m.tok_end].lower_ == "of"
                and m.tok_start > sent.start
                and doc[m.tok_start - 1].lower_ in LEAD_TITLE_WORDS
            ):
                stop = m.tok_end + 1
                while stop < sent.end and doc[stop].text not in {",", ";", "."} and doc[stop].pos_ != "VERB":
                    stop += 1
                orgs = self.orgs(set(range(m.tok_end + 1, stop)))
                if orgs:
                    self.add(m.entity, "leads", orgs[0], sent, 0.85)
                    continue
            # "ORG TITLE P"
            x = m.tok_start - 1
            while x >= sent.start and (
                doc[x].lower_ in TITLE_WORDS
                or doc[x].lower_ in {"vice", "deputy", "executive", "party", "general"}
            ):
                x -= 1
            if x < m.tok_start - 1 and x >= sent.start:
                prev = self.mention_at(doc[x])
                if prev is not None and prev.entity.type in ORG_TYPES:
                    self.add(m.entity, "leads", prev.entity, sent, 0.85)

    def led_by_verb(self, sent: Span) -> None:
        """ "P will lead X", "P heads X"."""
        for tok in sent:
            if tok.lemma_.lower() not in {"lead", "head", "chair", "direct", "run"} or tok.pos_ != "VERB":
                continue
            if self.denied(tok):
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            obj = [c for c in tok.children if c.dep_ == "dobj"]
            if not subj or not obj:
                continue
            people = [m.entity for m in self.mentions_in(subtree_ids(subj[0])) if m.entity.type == "Person"]
            orgs = self.orgs(subtree_ids(obj[0]))
            for p in people[:1]:
                for o in orgs[:1]:
                    self.add(p, "leads", o, sent, 0.8)

    def location(self, sent: Span) -> None:
        doc = self.doc
        for tok in sent:
            # "X is headquartered / based / located in P"
            if (
                tok.lemma_.lower() in {"headquarter", "headquartered", "base", "locate", "situate"}
                and tok.tag_ == "VBN"
            ):
                preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}]
                places = [
                    m.entity
                    for p in preps
                    for m in self.mentions_in(subtree_ids(p))
                    if m.entity.type == "Place"
                ]
                subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
                if not subj and tok.dep_ in {"acl", "relcl"}:
                    subj = [tok.head]
                orgs = self.orgs(subtree_ids(subj[0])) if subj else []
                if orgs and places and not self.denied(tok):
                    for p in places:
                        self.add(orgs[0], "locatedIn", p, sent, 0.8)
        for tok in sent:
            if tok.lower_ != "in" or tok.i == 0:
                continue
            prev = self.mention_at(doc[tok.i - 1])
            if prev is None or prev.entity.type not in ORG_TYPES or prev.generic:
                continue
            places = [m.entity for m in self.mentions_in(subtree_ids(tok)) if m.entity.type == "Place"]
            nxt = self.mention_at(doc[tok.i + 1]) if tok.i + 1 < len(doc) else None
            if nxt is None or nxt.entity.type != "Place":
                continue
            for p in places:
                self.add(prev.entity, "locatedIn", p, sent, 0.8)
        for m in self.mentions_in({t.i for t in sent}):
            if m.entity.type != "Place":
                continue
            k = m.tok_end
            if k + 1 < sent.end and doc[k].text in {"'s", "’s"}:
                nxt = self.mention_at(doc[k + 1])
                if nxt is not None and nxt.entity.type in ORG_TYPES:
                    self.add(nxt.entity, "locatedIn", m.entity, sent, 0.75)

    def place_in_name(self) -> None:
        """An organisation named after a place the article also names on its own is there."""
        standalone = {}
        for m in self.mentions:
            if m.entity.type == "Place" and not m.inner:
                standalone.setdefault(m.name, m.entity)
        for c in self.clusters:
            if c.type not in ORG_TYPES or c.from_model_only:
                continue
            for m in c.mentions:
                if m.generic:
                    continue
                words = f" {m.name} "
                for pname, place in standalone.items():
                    if f" {pname} " in words:
                        self.add(c, "locatedIn", place, self.doc[m.tok_start].sent, 0.6)


def relate(doc: Doc, model: object | None = None) -> list[RelationItem]:
    """The relations of a parsed doc whose entities are resolved."""
    return SentenceRules(doc, doc._.edukg_entities or []).run()


def setup_extensions() -> None:
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)


class RelationExtractor:
    """The `edukg_relations` pipeline component."""

    def __init__(self, nlp: Language, name: str = "edukg_relations") -> None:
        self.name = name
        setup_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = relate(doc)
        return doc


@Language.factory("edukg_relations", assigns=["doc._.relations"], requires=["doc._.edukg_entities"])
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor(nlp, name)
