"""Title-Case headlines: find the verbs the tagger hides.

In "Northvale University Joins the Regional Alliance" every word is capitalised and the small
English model tags "Joins" as a proper noun, so a capitalised run would swallow the verb and the
name after it ("Northvale University Joins" → no head; worse, "... Joins the ... Alliance" typed
by its last word). Re-tagging the sentence in lower case lets the tagger see the verb again;
the verb then ends the name. Only sentences that are Title Case are re-tagged (one or two per
article), so the cost is negligible.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from extract.names.tokens import FINITE_VERB_TAGS

# a tagger: words in, one fine-grained tag per word out
Tagger = Callable[[list[str]], list[str]]


def is_title_case(sent: Span) -> bool:
    """Most longer words capitalised, as in a headline (short function words may stay low)."""
    words = [t for t in sent[1:] if t.is_alpha and len(t) >= 4]
    if len(words) < 3:
        return False
    caps = sum(t.text[0].isupper() for t in words)
    return caps >= 0.8 * len(words)


def headline_verbs(sent: Span, tagger: Tagger | None) -> set[int]:
    """Token indices (in the doc) of finite verbs in a Title-Case sentence; empty otherwise."""
    if tagger is None or not is_title_case(sent):
        return set()
    words = [t.text.lower() if not t.text.isupper() else t.text for t in sent]
    tags = tagger(words)
    verbs = {sent.start + n for n, tag in enumerate(tags) if tag in FINITE_VERB_TAGS and n > 0}
    # "New Alliance Formed in Asia": a participle after the name, with no capital after it
    for n, tag in enumerate(tags[:-1]):
        if tag == "VBN" and n > 0 and not sent[n + 1].text[:1].isupper() and sent[n - 1].text[:1].isupper():
            verbs.add(sent.start + n)
    return verbs


def pipeline_tagger(components: list[Callable[[Doc], Doc]]) -> Tagger:
    """A Tagger that runs the given pipeline components (tok2vec, tagger) on a fresh Doc."""

    def tag(words: list[str]) -> list[str]:
        if not components:
            return [""] * len(words)
        first = components[0]
        vocab = first.vocab if hasattr(first, "vocab") else None
        if vocab is None:
            return [""] * len(words)
        doc = Doc(vocab, words=words)
        for proc in components:
            doc = proc(doc)
        return [t.tag_ for t in doc]

    return tag
