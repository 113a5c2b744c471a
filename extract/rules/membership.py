"""Membership rules → memberOf: "the alliance incorporated A, B and C", "A joined X",
"X's members include A and B". One triple per listed member.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.lexicon import MEMBER_WORDS
from extract.rules.context import LIST_ITEM_TOKENS, RuleContext, subtree_ids


def verb_base(word: str) -> str:
    """ "joins", "joined", "includes" → "join", "include": a Title-Case headline's verb is often
    tagged a proper noun, whose lemma is the word itself."""
    for end, repl in (("ed", ""), ("ed", "e"), ("es", ""), ("es", "e"), ("s", "")):
        if word.endswith(end) and word[: -len(end)] + repl in MEMBER_WORDS:
            return word[: -len(end)] + repl
    return word


def membership(ctx: RuleContext, sent: Span) -> None:
    trig = [t for t in sent if t.lemma_.lower() in MEMBER_WORDS or verb_base(t.lower_) in MEMBER_WORDS]
    if not trig:
        return
    if any(ctx.denied(t) for t in trig):
        return
    alliances = [m for m in ctx.mentions_in({t.i for t in sent}, outer=False) if m.cluster.type == "Alliance"]
    if not alliances:
        alliances = programme_with_members(ctx, trig)
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
    founding = any(
        t.i > sent.start and t.doc[t.i - 1].lower_ in {"founding", "founder"} for t in trig
    )  # "its founding members include A and B": each member is also a founder
    for c in members:
        ctx.add(c, "memberOf", alliance, sent, 0.85)
        if founding:
            ctx.add(alliance, "establishedBy", c, sent, 0.8)
    for item, c in list_items(ctx, sent):  # "... members include:" and one member per line
        members.append(c)
        ctx.add(c, "memberOf", alliance, item, 0.8)
        if founding:
            ctx.add(alliance, "establishedBy", c, item, 0.8)
    ctx.members.setdefault(id(alliance), [])
    for c in members:
        if c not in ctx.members[id(alliance)]:
            ctx.members[id(alliance)].append(c)


def programme_with_members(ctx: RuleContext, trig: list[Token]) -> list[Mention]:
    """ "the members of the project": a programme, project or consortium that has members is a
    group of organisations (an Alliance), whatever its name's last word."""
    for t in trig:
        if t.lower_ not in {"member", "members"}:
            continue
        for prep in t.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            found = [m for m in ctx.mentions_in(subtree_ids(prep)) if m.cluster.type == "Program"]
            if found:
                found[0].cluster.type = "Alliance"
                return found[:1]
    return []


def list_items(ctx: RuleContext, sent: Span) -> list[tuple[Span, EntityCluster]]:
    """The organisation on each short line after a sentence that ends with a colon."""
    doc = ctx.doc
    last = next((t for t in reversed(sent) if not t.is_space), None)
    if last is None or last.text != ":":
        return []
    out: list[tuple[Span, EntityCluster]] = []
    k = sent.end
    while k < len(doc):
        item = doc[k].sent
        words = [t for t in item if not (t.is_space or t.is_punct)]
        orgs = ctx.orgs({t.i for t in item})
        if not orgs or len(words) > LIST_ITEM_TOKENS:
            break
        out.append((item, orgs[0]))
        k = item.end
    return out
