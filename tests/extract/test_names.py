"""Organisation-name rules on short invented sentences, each paired with a near miss.

Most tests build their Doc by hand (words, tags, entities, a flat parse), so they need no
model and show exactly which evidence a rule reads; the few marked `slow` run the real
pipeline to check the same behaviour end to end.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from extract.components.names import Mention, NameScanner, find_mentions
from extract.names.context import context_type
from extract.names.coordination import entity_index, splits_at
from extract.names.headline import headline_verbs, is_title_case

VOCAB = spacy.blank("en").vocab
FUNCTION_POS = {
    "the": "DET",
    "a": "DET",
    "an": "DET",
    "of": "ADP",
    "in": "ADP",
    "at": "ADP",
    "for": "ADP",
    "with": "ADP",
    "to": "ADP",
    "and": "CCONJ",
    "&": "CCONJ",
}
NO_SPACE_BEFORE = {",", ".", "'s", "’s", ")", ":"}


def make_doc(
    text: str,
    ents: dict[str, str] | None = None,
    *,
    tags: dict[str, str] | None = None,
    deps: dict[int, tuple[int, str]] | None = None,
) -> Doc:
    """A Doc from space-separated words; each " . " ends a sentence.

    `ents` maps an exact word sequence ("X#2": its second occurrence) to its label; `tags`
    overrides the fine-grained tag of a word; `deps` sets (head index, label) of a token.
    Everything else gets a flat parse under each sentence's first verb-tagged word (else its last word),
    NNP for capitalised words and NN/NNS for the rest.
    """
    words = text.split()
    tags = tags or {}
    spaces = [
        i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE and w != "(" for i, w in enumerate(words)
    ]
    pos, tag, lemmas = [], [], []
    for w in words:
        low = w.lower()
        if w in tags:
            t = tags[w]
        elif not w[0].isalnum():
            t = ","
        elif low in FUNCTION_POS:
            t = "DT" if FUNCTION_POS[low] == "DET" else ("CC" if FUNCTION_POS[low] == "CCONJ" else "IN")
        elif w[0].isupper():
            t = "NNP"
        else:
            t = "NNS" if low.endswith("s") and len(low) > 3 else "NN"
        tag.append(t)
        pos.append(
            FUNCTION_POS.get(low)
            or (
                "PUNCT"
                if not w[0].isalnum()
                else "VERB"
                if t.startswith("VB")
                else "PROPN"
                if t == "NNP"
                else "NOUN"
            )
        )
        lemma = low[:-3] + "y" if low.endswith("ies") else (low[:-1] if t == "NNS" else low)
        lemmas.append(lemma)
    heads: list[int] = []
    dep_labels: list[str] = []
    start = 0
    ends = [i + 1 for i, w in enumerate(words) if w == "." and i + 1 < len(words)] + [len(words)]
    for end in ends:  # one flat parse per sentence; a full stop ends a sentence
        root = next((i for i in range(start, end) if tag[i].startswith("VB")), end - 1)
        heads += [root] * (end - start)
        dep_labels += ["ROOT" if i == root else "dep" for i in range(start, end)]
        start = end
    for i, (h, d) in (deps or {}).items():
        heads[i], dep_labels[i] = h, d
    iob = ["O"] * len(words)
    for phrase, label in (ents or {}).items():
        phrase, _, nth = phrase.partition("#")  # "Kestrel#2": its second occurrence
        seq = phrase.split()
        hits = [i for i in range(len(words)) if words[i : i + len(seq)] == seq]
        start = hits[int(nth or 1) - 1]
        iob[start] = f"B-{label}"
        for k in range(start + 1, start + len(seq)):
            iob[k] = f"I-{label}"
    return Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        tags=tag,
        pos=pos,
        lemmas=lemmas,
        heads=heads,
        deps=dep_labels,
        ents=iob,
    )


def names(mentions: list[Mention]) -> dict[str, str]:
    return {m.name: m.kind for m in mentions if m.kind not in {"Person", "Place"}}


# -- coordination ----------------------------------------------------------------------------
def test_company_and_institute_are_two_names() -> None:
    doc = make_doc(
        "Zentrix and the Northvale Institute of Technology signed a pact .",
        {"Zentrix": "ORG", "Northvale Institute of Technology": "ORG"},
        tags={"signed": "VBD"},
    )
    found = names(find_mentions(doc))
    assert "Northvale Institute of Technology" in found
    assert "Zentrix" in found
    assert not any(" and " in n for n in found)


def test_and_inside_a_name_is_kept() -> None:
    doc = make_doc(
        "The Northvale Institute of Science and Technology signed a pact .",
        {"Northvale Institute of Science and Technology": "ORG"},
        tags={"signed": "VBD"},
    )
    assert "Northvale Institute of Science and Technology" in names(find_mentions(doc))


def test_shared_modifier_is_no_coordination() -> None:
    # "Eastern and Western Trade Center": "Eastern" modifies "Center", it names nothing alone
    doc = make_doc(
        "the Eastern and Western Trade Center opened", deps={1: (5, "amod")}, tags={"opened": "VBD"}
    )
    ents = entity_index(doc)
    assert not splits_at(
        doc, 1, 6, 2, named=lambda a, b: doc[b - 1].text == "Center", complete=lambda a, b: False, ents=ents
    )
    # the same words with the left side a name the model knows: two names
    doc = make_doc(
        "the Eastern and Western Trade Center opened",
        {"Eastern": "ORG"},
        tags={"opened": "VBD"},
    )
    assert splits_at(
        doc,
        1,
        6,
        2,
        named=lambda a, b: doc[b - 1].text == "Center",
        complete=lambda a, b: False,
        ents=entity_index(doc),
    )


# -- Title-Case headlines --------------------------------------------------------------------
def lower_case_tagger(words: list[str]) -> list[str]:
    """Stands in for the model's tagger on a lower-cased headline: "joins" is a verb."""
    return ["VBZ" if w == "joins" else "NN" for w in words]


def test_headline_verb_ends_the_name() -> None:
    doc = make_doc("Northvale University Joins the Regional Alliance")
    assert is_title_case(doc[:])
    assert headline_verbs(doc[:], lower_case_tagger) == {2}
    found = names(find_mentions(doc, lower_case_tagger))
    assert found.get("Northvale University") == "University"
    assert found.get("Regional Alliance") == "Alliance"
    # without the re-tagging the verb hides in the name and the university is lost
    assert "Northvale University" not in names(find_mentions(doc))


def test_ordinary_sentence_is_not_retagged() -> None:
    doc = make_doc("Northvale University joins the regional alliance")
    assert not is_title_case(doc[:])
    assert headline_verbs(doc[:], lower_case_tagger) == set()


# -- unknown heads: the type from the context ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("the deal with tech giant Zentrix was signed", "Zentrix", "Enterprise"),
        ("Zentrix , an engineering firm , signed", "Zentrix", "Enterprise"),
        ("Kingsford , Marlow and Tenby universities joined", "Marlow", "University"),
        ("leading companies , including Orvex , Talma and Brio", "Talma", "Enterprise"),
        # near misses: a preposition, a lone adjective use, no class noun
        ("the deal was signed in Zentrix yesterday", "Zentrix", None),
        ("many Kingsford universities joined", "Kingsford", None),
        ("Zentrix signed the deal", "Zentrix", None),
    ],
)
def test_context_type(text: str, word: str, expected: str | None) -> None:
    doc = make_doc(text)
    i = [t.text for t in doc].index(word)
    assert context_type(doc, i, i + 1, 0, len(doc)) == expected


def test_model_person_label_is_overridden_by_a_class_noun() -> None:
    doc = make_doc("the contract went to aerospace firm Arden Marsh today", {"Arden Marsh": "PERSON"})
    assert names(find_mentions(doc)).get("Arden Marsh") == "Enterprise"
    doc = make_doc("the contract went to engineer Arden Marsh today", {"Arden Marsh": "PERSON"})
    assert "Arden Marsh" not in names(find_mentions(doc))


# -- particles inside names and names that must stop ------------------------------------------
def test_in_the_place_stays_inside_a_name() -> None:
    doc = make_doc(
        "the Alliance of Universities in the Pearl Delta held its annual meeting",
        {"Pearl Delta": "GPE"},
        tags={"held": "VBD"},
    )
    assert "Alliance of Universities in the Pearl Delta" in names(find_mentions(doc))


def test_in_a_place_ends_a_name() -> None:
    doc = make_doc("the Northvale University in Ashford met", {"Ashford": "GPE"}, tags={"met": "VBD"})
    found = names(find_mentions(doc))
    assert "Northvale University" in found and "Northvale University in Ashford" not in found


def test_in_the_acronym_ends_a_name() -> None:
    doc = make_doc("the Acme Training Center in the NIT opened", {"NIT": "ORG"}, tags={"opened": "VBD"})
    found = names(find_mentions(doc))
    assert "Acme Training Center" in found
    assert not any("NIT" in n and "Center" in n for n in found)


def test_possessive_of_a_plural_noun_is_inside_the_name() -> None:
    doc = make_doc("the People 's Government of Ashford District met", tags={"People": "NNS", "met": "VBD"})
    assert "People's Government of Ashford District" in names(find_mentions(doc))
    # an owner's possessive splits: the place owns the department
    doc = make_doc("Ashford 's Department of Energy met", {"Ashford": "GPE"}, tags={"met": "VBD"})
    found = names(find_mentions(doc))
    assert "Department of Energy" in found and not any("Ashford" in n for n in found)


def test_second_of_country_ends_the_name() -> None:
    doc = make_doc(
        "the University of Northvale of Britain agreed", {"Britain": "GPE"}, tags={"agreed": "VBD"}
    )
    found = names(find_mentions(doc))
    assert "University of Northvale" in found and "University of Northvale of Britain" not in found
    # one "of" only: the place is the name's own ("University of Britain")
    doc = make_doc("the University of Britain agreed", {"Britain": "GPE"}, tags={"agreed": "VBD"})
    assert "University of Britain" in names(find_mentions(doc))


def test_field_list_after_of_is_one_name() -> None:
    doc = make_doc(
        "the Ministry of Energy , Mining and Water ( MEMW ) agreed",
        tags={"agreed": "VBD"},
    )
    assert "Ministry of Energy, Mining and Water" in names(find_mentions(doc))
    # a name with a head of its own after the comma is a second organisation
    doc = make_doc("the Ministry of Energy , Mining and Acme Group agreed", tags={"agreed": "VBD"})
    assert "Ministry of Energy, Mining and Acme Group" not in names(find_mentions(doc))


def test_list_of_companies_types_its_headless_items() -> None:
    doc = make_doc("They include : Orvex Tools , Talma Corporation , Brio Parts and Kestrel Labs Inc. .")
    found = names(find_mentions(doc))
    assert found.get("Orvex Tools") == "Enterprise" and found.get("Brio Parts") == "Enterprise"
    # people and their posts in a list are not companies
    doc = make_doc(
        "They include : Ann Lee , Vice President , Talma Corporation , Bo Chen .", {"Ann Lee": "PERSON"}
    )
    assert "Vice President" not in names(find_mentions(doc))


def test_scanner_keeps_ordinals_inside_names() -> None:
    doc = make_doc("the Coastal Railway 15th Bureau Group signed", tags={"signed": "VBD"})
    scanner = NameScanner(doc, set())
    assert [doc[i:j].text for i, j in scanner.runs(doc[:])] == ["Coastal Railway 15th Bureau Group"]


# -- end to end with the model ----------------------------------------------------------------
@pytest.mark.slow
def test_headline_and_coordination_through_the_pipeline(extractor) -> None:
    from extract.model import Article

    text = (
        "Northvale University Joins the Regional Robotics Alliance\n\n"
        "Corvane Systems and the Northvale Institute of Technology signed an agreement on Monday. "
        "The deal was welcomed by tech giant Zentrix."
    )
    ex = extractor.extract(Article(text=text, source="test", language="en"))
    types = {e.name: e.type for e in ex.entities}
    assert types.get("Northvale University") == "University"
    assert types.get("Regional Robotics Alliance") == "Alliance"
    assert types.get("Northvale Institute of Technology") == "University"
    assert not any(" and " in n and "Corvane" in n for n in types)
    assert types.get("Zentrix") == "Enterprise"


@pytest.mark.slow
def test_country_acronym_used_as_a_place_is_a_place(extractor) -> None:
    from extract.model import Article

    text = (
        'The Coastal Universities Alliance describes itself as a group of "the most enterprising '
        'universities in the UK". Northvale University joined the alliance and the UK government '
        "welcomed it."
    )
    ex = extractor.extract(Article(text=text, source="test", language="en"))
    assert {e.name: e.type for e in ex.entities}.get("UK") == "Place"
