"""Membership rules → memberOf: "the alliance incorporated A, B and C", "A joined X",
"X's members include A and B". One triple per listed member.
"""

from __future__ import annotations

from spacy.tokens import Span

from extract.lexicon import MEMBER_WORDS
from extract.rules.context import RuleContext, subtree_ids


def membership(ctx: RuleContext, sent: Span) -> None:
    trig = [t for t in sent if t.lemma_.lower() in MEMBER_WORDS or t.lower_ in MEMBER_WORDS]
    if not trig:
        return
    if any(ctx.denied(t) for t in trig):
        return
    alliances = [m for m in ctx.mentions_in({t.i for t in sent}, outer=False) if m.cluster.type == "Alliance"]
    if not alliances:
        return
    alliance = alliances[0].cluster
    first_trig = trig[0]
    members = []
    aside: set[int] = set()  # founders ("by X") and asides ("which was founded by X")
    for t in sent:
        if t.dep_ in {"relcl", "agent"} and not any(x.lemma_.lower() in MEMBER_WORDS for x in t.subtree):
            aside |= subtree_ids(t)
    for m in ctx.mentions_in({t.i for t in sent} - aside):
        c = m.cluster
        if c.type in {"University", "Enterprise", "Institute", "GovernmentBody"} and c not in members:
            if (
                first_trig.lemma_.lower() in {"include", "incorporate", "comprise"}
                and m.start < first_trig.idx
            ):
                continue
            members.append(c)
    for c in members:
        ctx.add(c, "memberOf", alliance, sent, 0.85)
    ctx.members.setdefault(id(alliance), [])
    for c in members:
        if c not in ctx.members[id(alliance)]:
            ctx.members[id(alliance)].append(c)
