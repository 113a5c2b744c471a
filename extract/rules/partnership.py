"""Cooperation rules → partnersWith: "in partnership with B", "an agreement between A and B",
"A signed a memorandum with B", "both sides reached consensus"; "a lab built with B" also makes
B a founder of the lab.
"""

from __future__ import annotations

import itertools

from spacy.tokens import Span, Token

from extract.lexicon import AGREE_VERBS, PARTNER_WORDS
from extract.rules.context import ORG_TYPES, RuleContext, subtree_ids


def update_parties(ctx: RuleContext, sent: Span) -> None:
    """ "Both sides" / "they": the publisher and the latest other organisation talked with."""
    low = sent.text.lower()
    if not any(w in low for w in ("both sides", "two sides", "both parties", "the two parties")):
        return
    latest = next((r for r in reversed(ctx.out) if r.label == "partnersWith"), None)
    if latest is not None:
        ctx.parties = [latest.head, latest.tail]
        return
    before = [
        m for m in ctx.mentions if m.start < sent.end_char and not m.inner and m.cluster.type in ORG_TYPES
    ]
    first = ctx.publisher
    if first is None and before:
        first = before[0].cluster
    other = next(
        (
            m.cluster
            for m in reversed(before)
            if m.cluster is not first
            and m.cluster.type in {"GovernmentBody", "Enterprise", "University", "Alliance"}
        ),
        None,
    )
    if first is not None and other is not None:
        ctx.parties = [first, other]
        verbs = [t for t in sent if t.lemma_ in {"reach", "sign", "agree"}]
        if verbs and not ctx.denied(verbs[0]):
            ctx.add(first, "partnersWith", other, sent, 0.7)


def signed_by_people(ctx: RuleContext, agent: Token) -> bool:
    """Does a passive "signed by ..." name people (whose titles name units) rather than the
    organisations themselves?"""
    return any(m.cluster.type == "Person" for m in ctx.mentions_in(subtree_ids(agent)))


def partnership(ctx: RuleContext, sent: Span) -> None:
    for tok in sent:
        low = tok.lower_
        if low == "with" and tok.i > 0 and ctx.doc[tok.i - 1].lower_ in {"together", "jointly"}:
            gov = tok.head if tok.head.lower_ not in {"together", "jointly"} else tok.head.head
            partners = ctx.orgs(subtree_ids(tok))
            if partners and not ctx.denied(gov):
                for a in ctx.subject_of(gov):
                    for p in partners:
                        ctx.add(a, "partnersWith", p, sent, 0.75)
            continue
        signing = any(c.lemma_.lower() in {"signing", "sign", "cooperation"} for c in tok.head.children)
        if low == "with" and (tok.head.lemma_.lower() in PARTNER_WORDS | {"partner", "cooperate"} or signing):
            partners = ctx.orgs(subtree_ids(tok))
            if not partners or ctx.denied(tok.head):
                continue
            gov = tok.head
            explicit = gov.pos_ == "NOUN" and gov.head.lower_ == "in"  # "in partnership with B"
            if explicit:
                gov = gov.head.head
                ctx.rule = "agreement"  # as explicit as "an agreement between A and B"
            if gov.dep_ in {"acl", "relcl"}:
                thing_m = ctx.mention_at(gov.head)
                if thing_m is not None:
                    thing = thing_m.cluster
                    owner = ctx.owner(thing)
                    rule, ctx.rule = ctx.rule, "partnership"
                    for p in partners:
                        ctx.add(thing, "establishedBy", p, sent, 0.8)
                        ctx.rule = rule
                        ctx.add(owner, "partnersWith", p, sent, 0.75)
                        ctx.rule = "partnership"
                    if owner is not None:
                        ctx.add(thing, "establishedBy", owner, sent, 0.7)
                        if ctx.college_like(thing):
                            ctx.add(thing, "partOf", owner, sent, 0.7)
                    ctx.rule = "partnership"
                    continue
            for a in ctx.subject_of(gov):
                for p in partners:
                    ctx.add(a, "partnersWith", p, sent, 0.8)
            ctx.rule = "partnership"
        elif low == "between" and tok.head.lemma_.lower() in PARTNER_WORDS:
            if ctx.denied(tok.head):
                continue
            orgs = ctx.orgs(subtree_ids(tok))
            ctx.rule = "agreement"  # the explicit shapes, kept apart from the looser ones
            for a, b in itertools.combinations(orgs, 2):
                ctx.add(a, "partnersWith", b, sent, 0.85)
            ctx.rule = "partnership"
        elif tok.lemma_.lower() in AGREE_VERBS and tok.pos_ == "VERB":
            objs = [
                c
                for c in tok.children
                if c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in PARTNER_WORDS
            ]
            if not objs or ctx.denied(tok):
                continue
            # "A and B signed an agreement" / "the agreement was signed by A and B"
            subs = [c for c in tok.children if c.dep_ in {"nsubj", "agent"}]
            orgs = ctx.orgs(subtree_ids(subs[0])) if subs else []
            if subs and subs[0].dep_ == "agent" and signed_by_people(ctx, subs[0]):
                orgs = []  # "signed by P, dean of X's college, and Q, manager of Y's branch":
                # units named in titles sign for their parents, which are the partners
            ctx.rule = "agreement"
            if len(orgs) >= 2:
                for a, b in itertools.combinations(orgs, 2):
                    ctx.add(a, "partnersWith", b, sent, 0.85)
            # "A signed a memorandum of understanding with B"
            # the "with" hangs on the verb or on its object ("signed [an agreement with B]")
            heads = [tok, *objs]
            withs = [c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "with"]
            partners = [p for w in withs for p in ctx.orgs(subtree_ids(w))]
            for a in orgs or ctx.subject_of(tok):
                for p in partners:
                    ctx.add(a, "partnersWith", p, sent, 0.85)
            ctx.rule = "partnership"
