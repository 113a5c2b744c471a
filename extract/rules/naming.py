"""Naming rules → partOf (and locatedIn from a name's own place).

"X of Y" names a sub-unit of Y; "the School of Z at Y" places a school inside Y; "X is part of
Y", "X, a subsidiary of Y", "X is affiliated to Y" state it; "Name (Place)" and "Place's X"
locate it.
"""

from __future__ import annotations

from spacy.tokens import Span

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
