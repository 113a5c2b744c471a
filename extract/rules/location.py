"""Location rules → locatedIn: "X is based / headquartered / located in P", "X in P",
"P's X". A place that is only part of a name, or where an event happened, locates nothing.
"""

from __future__ import annotations

from spacy.tokens import Span

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.rules.context import ORG_TYPES, RuleContext, subtree_ids


def location(ctx: RuleContext, sent: Span) -> None:
    doc = ctx.doc
    for tok in sent:
        # "X is headquartered / based / located in P"
        if (
            tok.lemma_.lower() in {"headquarter", "headquartered", "base", "locate", "situate"}
            and tok.tag_ == "VBN"
        ):
            preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}]
            places = [
                m.cluster for p in preps for m in ctx.mentions_in(subtree_ids(p)) if m.cluster.type == "Place"
            ]
            subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if not subj and tok.dep_ in {"acl", "relcl"}:
                subj = [tok.head]
            orgs = ctx.orgs(subtree_ids(subj[0])) if subj else []
            if orgs and places and not ctx.denied(tok):
                for p in places:
                    ctx.add(orgs[0], "locatedIn", p, sent, 0.8)
    for tok in sent:
        if tok.lower_ != "in" or tok.i == 0:
            continue
        prev = ctx.mention_at(doc[tok.i - 1])
        if prev is None or prev.cluster.type not in ORG_TYPES or prev.generic:
            continue
        places = [m.cluster for m in ctx.mentions_in(subtree_ids(tok)) if m.cluster.type == "Place"]
        nxt = ctx.mention_at(doc[tok.i + 1]) if tok.i + 1 < len(doc) else None
        if nxt is None or nxt.cluster.type != "Place":
            continue
        for p in places:
            ctx.add(prev.cluster, "locatedIn", p, sent, 0.8)
    family, ctx.rule = ctx.rule, "location_comma"
    for m in ctx.mentions_in({t.i for t in sent}):
        place = comma_place(ctx, m, sent)
        if place is not None:
            ctx.add(m.cluster, "locatedIn", place, sent, 0.7)
    ctx.rule = family
    for m in ctx.mentions_in({t.i for t in sent}):
        if m.cluster.type != "Place":
            continue
        k = m.tok_end
        if k + 1 < sent.end and doc[k].text in {"'s", "’s"}:
            nxt = ctx.mention_at(doc[k + 1])
            if nxt is not None and nxt.cluster.type in ORG_TYPES:
                ctx.add(nxt.cluster, "locatedIn", m.cluster, sent, 0.75)


def comma_place(ctx: RuleContext, m: Mention, sent: Span) -> EntityCluster | None:
    """ "Northvale University, Canada" / "Acme Ltd (ACME), Leeds, and ...": a place set off by
    a comma right after an organisation's name (and its acronym), ending there. A vote."""
    if m.cluster.type not in ORG_TYPES or m.generic:
        return None
    doc, k = ctx.doc, m.tok_end
    if k < sent.end and doc[k].text == "(":
        close = next((x for x in range(k + 1, min(sent.end, k + 6)) if doc[x].text == ")"), None)
        if close is None:
            return None
        k = close + 1
    if k + 1 >= sent.end or doc[k].text != ",":
        return None
    place = ctx.mention_at(doc[k + 1])
    if place is None or place.cluster.type != "Place" or place.tok_start != k + 1:
        return None
    end = place.tok_end
    if end < sent.end and not (doc[end].is_punct or doc[end].is_space or doc[end].lower_ == "and"):
        return None
    return place.cluster
