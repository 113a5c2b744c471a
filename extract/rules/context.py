"""What every relation rule shares: the doc's mentions by token, the relations found so far,
and the sentence helpers (who is the subject of this clause, is it negated or hedged, which
organisations sit under this token).

The rule families (one module each in extract/rules/) are plain functions of a `RuleContext`
and a sentence; they add `RelationItem`s through `RuleContext.add`, which enforces each
relation's domain and range so no rule has to.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.lexicon import COLLEGE_HEADS, GROUP_NOUNS, HEDGES, NEGATIONS, ROLE_NOUNS
from extract.model import ORG_TYPES as ORG_TYPE_NAMES

ORG_TYPES = set(ORG_TYPE_NAMES)


@dataclass
class RelationItem:
    """One relation between two entity clusters, with the sentence that states it."""

    head: EntityCluster
    label: str
    tail: EntityCluster
    sentence: Span
    confidence: float
    rule: str = ""  # the rule family that asserted it ("" for a scored candidate)


LIST_ITEM_TOKENS = 14  # a line this short holding an entity is a list item


def subtree_ids(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


class RuleContext:
    """One doc's state while the rules run over it, sentence by sentence."""

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
        self.rule = ""  # the family running now, recorded on each item it adds

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
        self.out.append(RelationItem(head, label, tail, sent, conf, self.rule))

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

    def place_cluster(self, name: str) -> EntityCluster | None:
        for c in self.clusters:
            if c.type == "Place" and name in c.names:
                return c
        return None
