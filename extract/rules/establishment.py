"""Establishment rules → establishedBy (plus partnersWith between named co-founders and
partOf for a college one university sets up, or a unit "established at" a host):
passive "X was jointly established by A and B", "hosted by A"; active "A will establish X",
"A announced the establishment of X, Y and Z", "they will jointly promote the construction of X".
"""

from __future__ import annotations

import itertools

from spacy.tokens import Span, Token

from extract.components.references import EntityCluster
from extract.lexicon import EST_NOUNS, EST_VERBS
from extract.rules.context import RuleContext, subtree_ids

FOUNDED_TYPES = {"Institute", "Program", "Alliance", "University", "GovernmentBody", "Enterprise"}
# what an organisation "establishes/builds/launches" in the active voice: units, programmes,
# alliances; never its partners ("build a lab with the company" does not found the company)
BUILT_TYPES = {"Institute", "Program", "Alliance"}
# co-founders of these are partners of each other; co-founders of an alliance are its members,
# not pairwise partners, and founders of nothing named are not partners on that account
PARTNERED_TYPES = {"Institute", "Program"}


def establishment(ctx: RuleContext, sent: Span) -> None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma in EST_VERBS and tok.pos_ in {"VERB", "AUX"}:
            if lemma == "set" and not any(c.lower_ == "up" for c in tok.children):
                continue
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent is not None:
                passive_establishment(ctx, tok, agent, sent)
            else:
                active_establishment(ctx, tok, sent)
        elif lemma in EST_NOUNS and tok.pos_ == "NOUN":
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if of is not None:
                active_establishment(ctx, tok, sent, objects_from=of)


def founded_thing(ctx: RuleContext, verb: Token, exclude: list[EntityCluster]) -> list[EntityCluster]:
    cands: list[Token] = []
    cands += [c for c in verb.children if c.dep_ == "nsubjpass"]
    if verb.dep_ in {"acl", "relcl", "amod"}:
        cands.append(verb.head)
    if verb.dep_ in {"advcl"}:
        cands += [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    for cand in cands:
        m = ctx.mention_at(cand)
        found = [m.cluster] if m is not None else []
        if not found:
            ids = subtree_ids(cand) - subtree_ids(verb) if cand is not verb.head else {cand.i}
            found = [x.cluster for x in ctx.mentions_in(ids)]
        found = [c for c in found if c.type in FOUNDED_TYPES and c not in exclude]
        if found:
            return found
    return []


def passive_establishment(ctx: RuleContext, verb: Token, agent: Token, sent: Span) -> None:
    founders = ctx.orgs(subtree_ids(agent))
    if not founders or ctx.denied(verb):
        return
    things = founded_thing(ctx, verb, founders)
    for thing in things:
        for f in founders:
            ctx.add(thing, "establishedBy", f, sent, 0.9)
        if len(founders) == 1 and founders[0].type == "University" and ctx.college_like(thing):
            ctx.add(thing, "partOf", founders[0], sent, 0.7)
    if any(t.type in PARTNERED_TYPES for t in things):
        for a, b in itertools.combinations(founders, 2):
            ctx.add(a, "partnersWith", b, sent, 0.85)
    placed_at(ctx, verb, things, sent)


def placed_at(ctx: RuleContext, verb: Token, things: list[EntityCluster], sent: Span) -> None:
    """ "X was established at Y (in P)" → X partOf Y (and X locatedIn P)."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"at", "within", "inside"}:
            hosts = ctx.orgs(subtree_ids(prep))
            for thing in things:
                if hosts:
                    ctx.add(thing, "partOf", hosts[0], sent, 0.8)
                for m in ctx.mentions_in(subtree_ids(prep)):
                    if m.cluster.type == "Place":
                        ctx.add(thing, "locatedIn", m.cluster, sent, 0.7)


def active_establishment(ctx: RuleContext, tok: Token, sent: Span, objects_from: Token | None = None) -> None:
    if ctx.denied(tok):
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
        founders = ctx.subject_of(gov)
    else:
        obj_ids = set()
        for c in tok.children:
            if c.dep_ in {"dobj", "attr", "oprd"}:
                obj_ids |= subtree_ids(c)
            if c.dep_ == "prep" and c.lower_ in {"including", "with"}:
                obj_ids |= subtree_ids(c)
        founders = ctx.subject_of(tok)
        if not founders and tok.dep_ in {"acl", "relcl"}:
            return
        passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if passive and not founders:
            placed_at(ctx, tok, founded_thing(ctx, tok, []), sent)
            return
    objects = [m for m in ctx.mentions_in(obj_ids) if m.cluster.type in BUILT_TYPES and not m.generic]
    founders = [f for f in founders if all(f is not o.cluster for o in objects)]
    if not objects or not founders:
        return
    partnered = any(o.cluster.type in PARTNERED_TYPES for o in objects)
    if len(founders) >= 2 and partnered and named_or_parties(ctx, tok, founders):
        for a, b in itertools.combinations(founders, 2):
            ctx.add(a, "partnersWith", b, sent, 0.8)
    before = ctx.doc[max(tok.i - 2, 0) : tok.i].text.lower().replace(" ", "")
    joint = (
        before.endswith("co-")
        or "joint" in tok.lower_
        or any(c.lower_ in {"jointly", "together"} for c in tok.children)
        or len(founders) > 1
    )
    for o in objects:
        for f in founders:
            ctx.add(o.cluster, "establishedBy", f, sent, 0.85)
        if (
            not joint
            and len(founders) == 1
            and founders[0].type == "University"
            and ctx.college_like(o.cluster)
        ):
            ctx.add(o.cluster, "partOf", founders[0], sent, 0.75)


def named_or_parties(ctx: RuleContext, tok: Token, founders: list[EntityCluster]) -> bool:
    """Were the co-founders named one by one ("A and B launched X") or as "both sides"?
    Members of an alliance acting together ("the six universities") are not pairwise
    partners on that account."""
    if founders == ctx.parties:
        return True
    t = tok
    for _ in range(12):
        subj = [c for c in t.children if c.dep_ == "nsubj"]
        if subj:
            return len(ctx.orgs(subtree_ids(subj[0]))) >= 2
        if t.head is t:
            return False
        t = t.head
    return False
