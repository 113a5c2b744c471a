"""Naming rules → partOf (and locatedIn from a name's own place).

"X of Y" names a sub-unit of Y; "the School of Z at Y" places a school inside Y; "X is part of
Y", "X, a subsidiary of Y", "X is affiliated to Y" state it; "Name (Place)" and "Place's X"
locate it.
"""

from __future__ import annotations

from spacy.tokens import Span

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.names.tokens import POSSESSIVE
from extract.rules.context import RuleContext, subtree_ids


def naming(ctx: RuleContext) -> None:
    """ "X of Y" names a sub-unit; "Name (Place)" and "Place's X" place it."""
    for m in ctx.mentions:
        if m.generic or m.inner:
            continue
        sent = ctx.doc[m.tok_start].sent
        if m.parent is not None and m.cluster.type in {"Institute", "GovernmentBody"}:
            ctx.add(m.cluster, "partOf", m.parent.cluster, sent, 0.9)
        if m.place:
            place = ctx.place_cluster(m.place)
            ctx.add(m.cluster, "locatedIn", place, sent, 0.85)
        # "Northvale University's School of Engineering": a unit named after a possessive
        owner = possessive_owner(ctx, m)
        if owner is not None:
            ctx.add(m.cluster, "partOf", owner, sent, 0.8)
        # "the School of Mechanical Engineering at X University"
        nxt = m.tok_end
        if (
            m.cluster.type == "Institute"
            and nxt + 1 < len(ctx.doc)
            and ctx.doc[nxt].lower_ in {"at", "under", "within"}
        ):
            host = ctx.mention_at(ctx.doc[nxt + 1]) or (
                ctx.mention_at(ctx.doc[nxt + 2]) if nxt + 2 < len(ctx.doc) else None
            )
            if host is not None and host.cluster.type in {"University", "Enterprise", "GovernmentBody"}:
                ctx.add(m.cluster, "partOf", host.cluster, sent, 0.8)


def possessive_owner(ctx: RuleContext, m: Mention) -> EntityCluster | None:
    """The organisation X in "X's <unit>", when the unit is an institute or office."""
    doc = ctx.doc
    k = m.tok_start
    if m.cluster.type not in {"Institute", "GovernmentBody"} or k < 2 or doc[k - 1].text not in POSSESSIVE:
        return None
    owner = ctx.mention_at(doc[k - 2])
    if (
        owner is None
        or owner.generic
        or owner.cluster.type not in {"University", "Enterprise", "GovernmentBody"}
    ):
        return None
    return owner.cluster


UNIT_TYPES = {"Institute", "GovernmentBody", "Enterprise"}
PARENT_TYPES = {"University", "Enterprise", "GovernmentBody", "Institute", "Alliance"}


def name_prefix(ctx: RuleContext) -> None:
    """ "Acme Robotics Research Institute" beside "Acme Robotics": a name that begins with the
    whole name of another organisation of the article names a unit of it. A vote for the
    scorer, not a statement: a joint unit is named after its founders the same way."""
    named = [c for c in ctx.clusters if c.type in PARENT_TYPES and any(not m.generic for m in c.mentions)]
    for unit in ctx.clusters:
        first = min((m for m in unit.mentions if not m.generic), key=lambda m: m.start, default=None)
        if unit.type not in UNIT_TYPES or first is None:
            continue
        names = [n.lower() + " " for n in unit.names]
        parents = [
            (len(p), parent)
            for parent in named
            if parent is not unit
            for p in parent.names
            if len(p) > 1 and any(n.startswith(p.lower() + " ") for n in names)
        ]
        if parents:  # the longest name it begins with: "Acme Research Institute Office" → the institute
            parent = max(parents, key=lambda x: x[0])[1]
            ctx.add(unit, "partOf", parent, ctx.doc[first.tok_start].sent, 0.6)


def part_of_phrase(ctx: RuleContext, sent: Span) -> None:
    """ "X is part of Y", "X, a subsidiary of Y", "X is affiliated to Y"."""
    for tok in sent:
        low = tok.lower_
        if low in {"part", "subsidiary", "branch", "unit", "division"}:
            of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
            if not of:
                continue
            parents = ctx.orgs(subtree_ids(of[0]))
            if tok.dep_ in {"attr", "appos"}:
                anchor = tok.head
                subj = [c for c in anchor.children if c.dep_ == "nsubj"] if tok.dep_ == "attr" else [anchor]
                children = ctx.orgs(subtree_ids(subj[0]) - subtree_ids(tok)) if subj else []
            else:
                continue
        elif low in {"affiliated", "attached", "subordinate"}:
            prep = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"to", "with"}]
            subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}] or (
                [c for c in tok.head.children if c.dep_ == "nsubj"] if tok.dep_ == "acomp" else []
            )
            if not prep or not subj:
                continue
            parents = ctx.orgs(subtree_ids(prep[0]))
            children = ctx.orgs(subtree_ids(subj[0]))
        else:
            continue
        if parents and children and not ctx.denied(tok):
            ctx.add(children[0], "partOf", parents[0], sent, 0.85)
