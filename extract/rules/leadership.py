"""Leadership rules → leads: "P, president of X", "P, President and CEO at X", "P, X President",
"President P of X", "X President P", "X's director Prof P", "P will lead X"; and, as a vote only,
"X's P1, dean, P2, head of department" (a title that names no organisation).
"""

from __future__ import annotations

from spacy.tokens import Span

from extract.components.references import EntityCluster
from extract.lexicon import HONORIFICS, LEAD_TITLE_WORDS, TITLE_MODIFIERS, TITLE_WORDS
from extract.names.tokens import POSSESSIVE
from extract.rules.context import ORG_TYPES, RuleContext, subtree_ids

TITLE_RUN_WORDS = LEAD_TITLE_WORDS | TITLE_MODIFIERS  # words that go on a title: "Executive Vice President"


def leaders(ctx: RuleContext, sent: Span) -> None:
    doc = ctx.doc
    for m in ctx.mentions_in({t.i for t in sent}):
        if m.cluster.type != "Person":
            continue
        # "P, [the] TITLE of [the] ORG" / "P, ORG TITLE"
        k = m.tok_end
        if k < sent.end and doc[k].text == ",":
            k += 1
            span_end = min(sent.end, k + 25)
            title_at = None
            for x in range(k, span_end):
                if doc[x].lower_ in LEAD_TITLE_WORDS and ctx.mention_at(doc[x]) is None:
                    title_at = x
                    break
                if doc[x].text in {",", ";", "."}:
                    break
            if title_at is not None:
                while title_at + 1 < sent.end:
                    if doc[title_at + 1].lower_ in TITLE_RUN_WORDS or doc[title_at + 1].text == "-":
                        title_at += 1  # "chief executive", "Executive Vice President", "vice-chancellor"
                    elif (
                        doc[title_at + 1].lower_ in {"and", "&"}
                        and title_at + 2 < sent.end
                        and doc[title_at + 2].lower_ in LEAD_TITLE_WORDS
                    ):
                        title_at += 2  # "President and CEO"
                    else:
                        break
                org = None
                if title_at + 1 < sent.end and doc[title_at + 1].lower_ in {"of", "at"}:
                    stop = title_at + 2
                    while stop < sent.end and doc[stop].text not in {",", ";", "."}:
                        stop += 1
                    org = titled_org(ctx, title_at + 2, stop)
                if org is None:
                    before = ctx.orgs(set(range(k, title_at)))
                    org = before[-1] if before else None
                if org is None and title_at + 2 < sent.end and doc[title_at + 1].text == ",":
                    after = ctx.mention_at(doc[title_at + 2])  # "P, President, Acme India"
                    if after is not None and after.cluster.type in ORG_TYPES and not after.generic:
                        org = after.cluster
                if org is None:
                    # "X's P1, dean, P2, head of department": the title names no organisation;
                    # the nearest one named before the person is a vote, weighed by the scorer
                    earlier = ctx.orgs(set(range(sent.start, m.tok_start)))
                    if earlier:
                        family, ctx.rule = ctx.rule, "leadership_context"
                        ctx.add(m.cluster, "leads", earlier[-1], sent, 0.6)
                        ctx.rule = family
                    continue
                ctx.add(m.cluster, "leads", org, sent, 0.9)
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
            orgs = ctx.orgs(set(range(m.tok_end + 1, stop)))
            if orgs:
                ctx.add(m.cluster, "leads", orgs[0], sent, 0.85)
                continue
        # "ORG TITLE P", "ORG's TITLE Prof P"
        x = m.tok_start - 1
        while x >= sent.start and doc[x].lower_ in HONORIFICS:
            x -= 1
        titled = x
        while x >= sent.start and (
            doc[x].lower_ in TITLE_WORDS
            or doc[x].lower_ in TITLE_MODIFIERS
            or doc[x].lower_ == "party"
            or (doc[x].text == "-" and x > sent.start and doc[x - 1].lower_ in TITLE_MODIFIERS)
        ):
            x -= 1  # "Greenwich vice-chancellor P", "the alliance's chief executive P"
        if x < titled and x >= sent.start and doc[x].text in POSSESSIVE:
            x -= 1
        if x < titled and x >= sent.start:
            prev = ctx.mention_at(doc[x])
            if prev is not None and prev.cluster.type in ORG_TYPES:
                ctx.add(m.cluster, "leads", prev.cluster, sent, 0.85)


def title_then_person(ctx: RuleContext, sent: Span) -> None:
    """ "the vice-rector of X, P, said": a title of an organisation set off before a person."""
    doc = ctx.doc
    for m in ctx.mentions_in({t.i for t in sent}):
        if m.cluster.type != "Person" or m.tok_start < sent.start + 3 or doc[m.tok_start - 1].text != ",":
            continue
        comma = m.tok_start - 1
        of = next(
            (
                x
                for x in range(comma - 1, max(sent.start, comma - 12) - 1, -1)
                if doc[x].lower_ in {"of", "at"}
            ),
            None,
        )
        if of is None or of - 1 < sent.start or doc[of - 1].lower_ not in LEAD_TITLE_WORDS:
            continue
        if any(doc[x].text in {",", ";"} for x in range(of + 1, comma)):
            continue
        org = titled_org(ctx, of + 1, comma)
        if org is not None:
            ctx.add(m.cluster, "leads", org, sent, 0.85)


def titled_org(ctx: RuleContext, start: int, stop: int) -> EntityCluster | None:
    """The organisation a title is "of": the first named in [start, stop) ("dean of the School of
    X at Y": the school), unless it is a possessor ("director of Y's Academic Affairs Office":
    the office)."""
    doc = ctx.doc
    mentions = [
        m for m in ctx.mentions_in(set(range(start, stop))) if m.cluster.type in ORG_TYPES and not m.generic
    ]
    if not mentions:
        return None
    first = mentions[0]
    if len(mentions) > 1 and first.tok_end < stop and doc[first.tok_end].text in POSSESSIVE:
        return mentions[1].cluster
    return first.cluster


def led_by_verb(ctx: RuleContext, sent: Span) -> None:
    """ "P will lead X", "P heads X"."""
    for tok in sent:
        if tok.lemma_.lower() not in {"lead", "head", "chair", "direct", "run"} or tok.pos_ != "VERB":
            continue
        if ctx.denied(tok):
            continue
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        obj = [c for c in tok.children if c.dep_ == "dobj"]
        if not subj or not obj:
            continue
        people = [m.cluster for m in ctx.mentions_in(subtree_ids(subj[0])) if m.cluster.type == "Person"]
        orgs = ctx.orgs(subtree_ids(obj[0]))
        for p in people[:1]:
            for o in orgs[:1]:
                ctx.add(p, "leads", o, sent, 0.8)


def copular_post(ctx: RuleContext, sent: Span) -> None:
    """ "Its first chair is P", "The alliance's president will be P": a leadership title as
    the subject, a person as what it is; the organisation is the title's possessor."""
    for tok in sent:
        if tok.lower_ not in LEAD_TITLE_WORDS or tok.dep_ != "nsubj" or tok.head.lemma_ != "be":
            continue
        if ctx.denied(tok.head):
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        attrs = [c for c in tok.head.children if c.dep_ == "attr"]
        if owner is None or not attrs:
            continue
        orgs = [m.cluster for m in ctx.mentions_in(subtree_ids(owner), outer=False)]
        orgs = [c for c in orgs if c.type in ORG_TYPES]
        people = [m.cluster for m in ctx.mentions_in(subtree_ids(attrs[0])) if m.cluster.type == "Person"]
        if orgs and people:
            ctx.add(people[0], "leads", orgs[0], sent, 0.85)
