"""Relation candidates: every type-compatible pair of entities that the text puts together.

Rules see only the sentence shapes someone wrote a rule for; most missed triples in unseen
press releases were between two entities that simply stood in one sentence, one list or one
"The member universities are: ..." line after the sentence naming the alliance. So candidates
are pairs of entity clusters whose mentions meet in
- one sentence;
- neighbouring sentences (the previous one or two: "Its first chair is P", "The members are: ...");
- a list with one item per line under a header line (each line is a sentence of its own, see
  `edukg_line_breaks`), paired with the header's entities.
Each meeting is an *instance*; the candidate's features are the union of its instances'
features (extract/relations/features.py) plus the rule families that asserted the triple; the
scorer rates each instance and keeps the best (a triple needs one place that states it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.model import ORG_TYPES, RELATIONS
from extract.relations.features import cluster_features, instance_features, symmetric
from extract.rules.context import LIST_ITEM_TOKENS, RelationItem

ORGS = set(ORG_TYPES)
# (head types, tail types) each relation admits, from the annotation guide's domain → range
SIGNATURES: dict[str, tuple[set[str], set[str]]] = {
    "partnersWith": (ORGS, ORGS),
    "memberOf": (ORGS, {"Alliance"}),
    "establishedBy": (
        {"Institute", "Alliance", "Program", "University", "GovernmentBody", "Enterprise"},
        ORGS,
    ),
    "partOf": (ORGS, ORGS),
    "locatedIn": (ORGS, {"Place"}),
    "leads": ({"Person"}, ORGS),
}
MAX_SENT_GAP = 2  # how many sentences back a cross-sentence instance may reach


@dataclass
class Instance:
    """One meeting of the two entities: its features and the text it spans (char offsets)."""

    features: set[str]
    start: int
    end: int


@dataclass(eq=False)
class Candidate:
    """One possible triple (head, label, tail) with the evidence gathered for it."""

    head: EntityCluster
    label: str
    tail: EntityCluster
    instances: list[Instance] = field(default_factory=list)
    shared: set[str] = field(default_factory=set)  # rule votes and whole-entity facts
    sentence: Span | None = None  # the evidence sentence (the closest instance)
    distance: int = 10**6  # token distance of that instance, to pick the best evidence
    rule_conf: float = 0.0  # the highest confidence a rule gave this triple


def compatible(label: str, head: EntityCluster, tail: EntityCluster) -> bool:
    heads, tails = SIGNATURES[label]
    return head is not tail and head.type in heads and tail.type in tails


def usable(m: Mention) -> bool:
    return isinstance(m.entity, EntityCluster)


def sentence_mentions(doc: Doc) -> tuple[list[Span], list[list[Mention]]]:
    """The doc's sentences and the resolved mentions in each (inner ones included)."""
    sents = list(doc.sents)
    starts = [s.start for s in sents]
    per: list[list[Mention]] = [[] for _ in sents]
    for m in doc._.edukg_mentions or []:
        if not usable(m):
            continue
        k = bisect.bisect_right(starts, m.tok_start) - 1
        if k >= 0:
            per[k].append(m)
    return sents, per


def list_headers(sents: list[Span], per: list[list[Mention]]) -> dict[int, int]:
    """Sentence index of a list item line → index of the header line above its list."""
    out: dict[int, int] = {}
    k = 1
    while k < len(sents):
        is_item = per[k] and len(sents[k]) <= LIST_ITEM_TOKENS and "\n" in sents[k - 1].text_with_ws[-2:]
        if not is_item:
            k += 1
            continue
        j = k - 1
        while j > 0 and per[j] and len(sents[j]) <= LIST_ITEM_TOKENS:
            j -= 1  # climb over earlier items to the header
        if k - j >= 1 and j != k:
            out[k] = j
        k += 1
    return out


def pairs(doc: Doc) -> Iterable[tuple[Mention, Mention, Span, str]]:
    """(mention a, mention b, evidence sentence, how they meet) for every meeting of two
    mentions of different clusters; `how` is "same", "prev1", "prev2" or "list"."""
    sents, per = sentence_mentions(doc)
    headers = list_headers(sents, per)
    for k, sent in enumerate(sents):
        here = per[k]
        for i, a in enumerate(here):
            for b in here[i + 1 :]:
                if a.entity is not b.entity:
                    yield a, b, sent, "same"
        for gap in range(1, MAX_SENT_GAP + 1):
            if k - gap < 0:
                break
            for a in per[k - gap]:
                if a.inner:
                    continue
                for b in here:
                    if a.entity is not b.entity and not b.inner:
                        yield a, b, sent, f"prev{gap}"
        j = headers.get(k)
        if j is not None and j < k - MAX_SENT_GAP:
            for a in per[j]:
                for b in here:
                    if a.entity is not b.entity and not b.inner:
                        yield a, b, sent, "list"


def first_seen(cluster: EntityCluster) -> tuple[int, int]:
    """Where a cluster is first mentioned: a run-independent order for symmetric pairs."""
    return min(((m.start, m.end) for m in cluster.mentions), default=(-1, -1))


def candidates(doc: Doc, rule_items: list[RelationItem]) -> list[Candidate]:
    """All candidates of the doc with their features, rule votes included."""
    found: dict[tuple[int, str, int], Candidate] = {}

    def get(head: EntityCluster, label: str, tail: EntityCluster) -> Candidate:
        if label == "partnersWith" and first_seen(head) > first_seen(tail):
            head, tail = tail, head  # by text position, not id(): the same order on every run
        key = (id(head), label, id(tail))
        if key not in found:
            found[key] = Candidate(head, label, tail)
        return found[key]

    for a, b, sent, how in pairs(doc):
        ca, cb = a.entity, b.entity
        assert isinstance(ca, EntityCluster) and isinstance(cb, EntityCluster)
        cache: dict[int, set[str]] = {}
        for label in RELATIONS:
            for n, (h, mh, t, mt) in enumerate(((ca, a, cb, b), (cb, b, ca, a))):
                if not compatible(label, h, t) or (label == "partnersWith" and n == 1):
                    continue  # partnersWith is symmetric: one instance per meeting
                if n not in cache:
                    cache[n] = instance_features(doc, mh, mt, sent, how)
                feats = cache[n]
                cand = get(h, label, t)
                lo = min(sent.start_char, a.start, b.start)
                hi = max(sent.end_char, a.end, b.end)
                cand.instances.append(
                    Instance(symmetric(feats) if label == "partnersWith" else feats, lo, hi)
                )
                dist = abs(mh.tok_start - mt.tok_start) + (0 if how == "same" else 1000)
                if dist < cand.distance:
                    cand.distance, cand.sentence = dist, sent
    for item in rule_items:
        if not compatible(item.label, item.head, item.tail):
            continue
        cand = get(item.head, item.label, item.tail)
        cand.shared.add(f"rule={item.rule}")
        cand.shared.add("rule=any")
        cand.rule_conf = max(cand.rule_conf, item.confidence)
        if cand.sentence is None:
            cand.sentence = item.sentence
    by_pair: dict[tuple[int, int], set[str]] = {}
    for item in rule_items:
        for key in ((id(item.head), id(item.tail)), (id(item.tail), id(item.head))):
            by_pair.setdefault(key, set()).add(item.label)
    out = []
    for cand in found.values():
        for other in by_pair.get((id(cand.head), id(cand.tail)), set()) - {cand.label}:
            cand.shared.add(f"rule_other={other}")
        feats = cluster_features(cand.head, cand.tail)
        cand.shared |= symmetric(feats) if cand.label == "partnersWith" else feats
        if cand.sentence is None:
            continue
        if not cand.instances:  # asserted by a rule only
            cand.instances.append(
                Instance({"how=rule_only"}, cand.sentence.start_char, cand.sentence.end_char)
            )
        out.append(cand)
    doc.user_data.pop("edukg_sentence_summary", None)  # features.py's cache: not for serialising
    return out
