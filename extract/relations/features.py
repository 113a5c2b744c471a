"""Features of one meeting of two mentions, for the learned relation scorer.

All features are strings (binary): the scorer is a sum of weights of the features present, so
it ships as a JSON table. Directional parts are prefixed "h:" (head mention) and "t:" (tail
mention); for the symmetric partnersWith they are folded into "x:".

What they describe, and why:
- types of both entities (a Person leads an org, a Place locates it);
- how the mentions meet: same sentence (token distance, order, how many other entities stand
  between), one or two sentences apart, or list item under a header line;
- the words between them and just around them, as lemmas and as trigger classes from
  lexicon.py (founding, cooperation, membership, leadership title, location), so a trigger
  seen in training and a listed synonym both count;
- the dependency path between the two mentions' heads (labels, and the lemmas on it), which
  tells "A and B signed an agreement" from "A, whose partner B ...";
- the mention itself: a generic phrase ("the university"), a parent named inside the other's
  name ("School of X of Y"), a publisher.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from extract.components.names import Mention
from extract.components.references import EntityCluster
from extract.lexicon import (
    AGREE_VERBS,
    EST_NOUNS,
    EST_VERBS,
    HEDGES,
    LEAD_TITLE_WORDS,
    MEMBER_WORDS,
    NEGATIONS,
    PARTNER_WORDS,
)

LOCATION_WORDS = {"in", "based", "headquarter", "headquartered", "locate", "located", "situate", "-based"}
PART_WORDS = {
    "part",
    "subsidiary",
    "branch",
    "unit",
    "division",
    "affiliate",
    "affiliated",
    "under",
    "within",
}
CLASSES: tuple[tuple[str, frozenset[str]], ...] = (
    ("est", frozenset(EST_VERBS | EST_NOUNS)),
    ("partner", frozenset(PARTNER_WORDS | AGREE_VERBS)),
    ("member", frozenset(MEMBER_WORDS)),
    ("title", frozenset(LEAD_TITLE_WORDS)),
    ("loc", frozenset(LOCATION_WORDS)),
    ("part", frozenset(PART_WORDS)),
    ("neg", frozenset(NEGATIONS | HEDGES)),
)
MAX_BETWEEN = 20  # words between two mentions that still count as evidence


def word(tok: Token) -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def classes(tok: Token) -> list[str]:
    low, lemma = tok.lower_, word(tok)
    return [name for name, words in CLASSES if low in words or lemma in words]


def bucket(n: int) -> str:
    for top in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= top:
            return str(top)
    return "more"


def head_token(doc: Doc, m: Mention) -> Token:
    return doc[m.tok_start : m.tok_end].root


def dep_path(a: Token, b: Token) -> tuple[list[Token], list[Token]] | None:
    """Tokens from a up to the lowest common ancestor, and from b up to it (None if too far)."""
    up_a = [a, *a.ancestors]
    ids = {t.i: n for n, t in enumerate(up_a)}
    up_b: list[Token] = []
    for t in [b, *b.ancestors]:
        if t.i in ids:
            return up_a[: ids[t.i] + 1], up_b + [t]
        up_b.append(t)
    return None


def path_features(a: Token, b: Token) -> set[str]:
    path = dep_path(a, b)
    if path is None:
        return {"path=none"}
    left, right = path
    lca = left[-1]
    out = {f"lca={word(lca)}", f"lca_pos={lca.pos_}", f"pathlen={bucket(len(left) + len(right) - 2)}"}
    if len(left) + len(right) <= 7:
        deps = [t.dep_ for t in left[:-1]] + ["^"] + [t.dep_ for t in reversed(right[:-1])]
        out.add("path=" + "/".join(deps))
    for t in left[1:-1] + right[1:-1] + [lca]:
        out.add(f"pathw={word(t)}")
        out.update(f"pathc={c}" for c in classes(t))
    if a.head is b or b.head is a:
        out.add(f"direct={a.dep_ if a.head is b else b.dep_}")
    if any(t.dep_ == "conj" for t in left[:-1] + right[:-1]) and all(
        t.dep_ in {"conj", "cc", "punct", "appos", "compound"} for t in left[:-1] + right[:-1]
    ):
        out.add("coordinated")
    return out


def mention_features(tag: str, m: Mention, other: Mention) -> set[str]:
    out = set()
    if m.generic:
        out.add(f"{tag}generic")
    if m.inner:
        out.add(f"{tag}inner")
    if m.parent is other:
        out.add(f"{tag}named_under_other")  # "School of X of <other>"
    if m.governance_of is not None:
        out.add(f"{tag}governance")
    if m.from_model:
        out.add(f"{tag}model_only")
    return out


def sentence_summary(sent: Span) -> tuple[frozenset[str], frozenset[str]]:
    """The words and trigger classes of a sentence, computed once per sentence per doc (every
    pair of mentions that meets in it asks again)."""
    cache = sent.doc.user_data.setdefault("edukg_sentence_summary", {})
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = (
            frozenset(word(x) for x in sent if not x.is_punct),
            frozenset(c for x in sent for c in classes(x)),
        )
    summary: tuple[frozenset[str], frozenset[str]] = cache[key]
    return summary


def instance_features(doc: Doc, mh: Mention, mt: Mention, sent: Span, how: str) -> set[str]:
    """Features of head mention `mh` meeting tail mention `mt` (evidence sentence `sent`)."""
    h, t = mh.entity, mt.entity
    assert isinstance(h, EntityCluster) and isinstance(t, EntityCluster)
    out = {f"how={how}", f"ht={h.type}>{t.type}", f"how_ht={how}:{h.type}>{t.type}"}
    out |= mention_features("h:", mh, mt) | mention_features("t:", mt, mh)
    words_here, sent_classes = sentence_summary(sent)
    out.update(f"sentc={c}" for c in sent_classes)
    if how != "same":
        out.update(f"{how}:sentc={c}" for c in sent_classes)
        far = mh if doc[mh.tok_start].sent.start != sent.start else mt
        far_sent = doc[far.tok_start].sent
        out.add(f"{how}:far={'h' if far is mh else 't'}")
        out.update(f"{how}:farc={c}" for c in sentence_summary(far_sent)[1])
        if far_sent.text.rstrip().endswith(":"):
            out.add(f"{how}:colon")
        for w in ("its", "their", "it", "they"):
            if w in words_here:
                out.add(f"{how}:pron={w}")
        return out
    first, second = (mh, mt) if mh.tok_start <= mt.tok_start else (mt, mh)
    out.add("order=ht" if first is mh else "order=th")
    lo, hi = first.tok_end, second.tok_start
    if hi < lo:  # nested: one named inside the other
        out.add("nested")
        return out
    between = doc[lo:hi]
    out.add(f"dist={bucket(len(between))}")
    n_between = sum(
        1 for x in between if x.ent_type_ in {"ORG", "PERSON", "GPE", "FAC", "NORP"} and x.ent_iob_ == "B"
    )
    out.add(f"ents_between={bucket(n_between)}")
    if len(between) <= MAX_BETWEEN:
        for x in between:
            if x.is_punct:
                out.add(f"btwp={x.text}")
            elif not x.is_stop or x.lower_ in {"of", "by", "with", "and", "between", "in", "at", "'s"}:
                out.add(f"btw={word(x)}")
            out.update(f"btwc={c}" for c in classes(x))
        if len(between) == 0:
            out.add("adjacent")
        elif len(between) == 1:
            out.add(f"only={between[0].lower_}")
        elif len(between) <= 3:
            out.add("only=" + "_".join(x.lower_ for x in between))
    else:
        out.add("far")
    for tag, m in (("h:", mh), ("t:", mt)):
        if m.tok_start > sent.start:
            prev = doc[m.tok_start - 1]
            out.add(f"{tag}pre={word(prev)}")
            out.update(f"{tag}prec={c}" for c in classes(prev))
        if m.tok_end < sent.end:
            nxt = doc[m.tok_end]
            out.add(f"{tag}post={word(nxt)}")
            out.update(f"{tag}postc={c}" for c in classes(nxt))
            if nxt.text in {"'s", "’s"}:
                out.add(f"{tag}possessive")
    out |= path_features(head_token(doc, mh), head_token(doc, mt))
    return out


def symmetric(features: set[str]) -> set[str]:
    """The same features with head and tail indistinguishable, for partnersWith."""
    out = set()
    for f in features:
        if f.startswith("order="):
            continue
        if f.startswith("name:"):
            f = f.replace("t_in_h", "x_in_x").replace("h_in_t", "x_in_x")
        if f.startswith(("h:", "t:")):
            f = "x:" + f[2:]
        elif f.startswith("ht=") or f.startswith("how_ht="):
            name, pair = f.split("=", 1)
            how, _, types = pair.rpartition(":")
            a, b = sorted(types.split(">"))
            f = f"{name}={how + ':' if how else ''}{a}>{b}"
        out.add(f)
    return out


def cluster_features(head: EntityCluster, tail: EntityCluster) -> set[str]:
    """Whole-entity facts: the publisher, how often each is named."""
    out = set()
    if head.publisher:
        out.add("h:publisher")
    if tail.publisher:
        out.add("t:publisher")
    out.add(f"h:mentions={bucket(len(head.mentions))}")
    out.add(f"t:mentions={bucket(len(tail.mentions))}")
    out |= name_features(head, tail)
    return out


def name_features(head: EntityCluster, tail: EntityCluster) -> set[str]:
    """How the two names contain each other, word for word: "Acme Robotics Research Institute"
    begins with "Acme Robotics" (a unit of it), "the Northvale–Acme Joint Lab" holds both its
    founders' names. Names of people and places are not compared."""
    if "Person" in (head.type, tail.type):
        return set()
    out = set()
    for tag, a, b in (("t_in_h", head, tail), ("h_in_t", tail, head)):
        outer = [f" {n.lower()} " for n in a.names]
        for n in b.names:
            inner = f" {n.lower()} "
            if len(n) < 2 or any(inner == o for o in outer):
                continue
            if any(o.startswith(inner) for o in outer):
                out.add(f"name:{tag}:prefix")
            elif any(inner in o for o in outer):
                out.add(f"name:{tag}")
    return out
