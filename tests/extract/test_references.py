"""Coreference and typing in context, on short invented sentences with near misses.

Docs are built by hand (see test_names.make_doc) and run through the name finder and the
reference resolver without the model; one `slow` test checks "its"/"which" end to end.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from extract.components import names as names_component
from extract.components import references as references_component
from extract.components.names import find_mentions
from extract.components.references import EntityCluster, References
from extract.coref.pronouns import antecedent_of_its, antecedent_of_which, group_members, group_size
from tests.extract.test_names import make_doc


def resolve(doc: Doc) -> list[EntityCluster]:
    names_component.setup_extensions()
    references_component.setup_extensions()
    doc._.edukg_mentions = find_mentions(doc)
    return References(doc).run()


def typed(clusters: list[EntityCluster]) -> dict[str, str]:
    return {c.name: c.type for c in clusters}


# -- "its" ------------------------------------------------------------------------------------
ANCHORS = [(0, 2, "acme"), (4, 6, "beta")]


def test_its_in_the_next_sentence_is_the_topic() -> None:
    doc = make_doc(
        "Acme University signed with Beta Corp . Its first chair is Ann Lee .", tags={"signed": "VBD"}
    )
    its = doc[7]
    assert its.is_sent_start
    assert antecedent_of_its(doc, its, ANCHORS) == "acme"


def test_its_in_the_same_sentence_is_the_latest_name() -> None:
    doc = make_doc("Acme University praised Beta Corp and its staff .")
    assert antecedent_of_its(doc, doc[7], ANCHORS) == "beta"
    # nothing named before: no antecedent
    assert antecedent_of_its(doc, doc[7], [(9, 10, "later")]) is None


# -- "which" ----------------------------------------------------------------------------------
def test_which_after_a_parenthetical_alias() -> None:
    doc = make_doc(
        "the Northvale Institute ( NVI ) , which is based in Ashford", tags={"which": "WDT", "is": "VBZ"}
    )
    assert antecedent_of_which(doc, doc[7], [(1, 3, "nvi")]) == "nvi"
    # a determiner "that" is no relative pronoun
    doc = make_doc("the Northvale Institute said that plan works", tags={"that": "DT", "said": "VBD"})
    assert antecedent_of_which(doc, doc[4], [(1, 3, "nvi")]) is None


def test_which_through_the_relative_clause() -> None:
    # "Acme Group , which ... ": the clause verb "signed" modifies "Group"
    doc = make_doc(
        "Acme Group , which signed the pact , grew",
        tags={"which": "WDT", "signed": "VBD", "grew": "VBD"},
        deps={3: (4, "nsubj"), 4: (1, "relcl")},
    )
    assert antecedent_of_which(doc, doc[3], [(0, 2, "acme")]) == "acme"


# -- "the two sides" --------------------------------------------------------------------------
def test_the_two_sides_are_the_last_two_organisations() -> None:
    doc = make_doc("Acme University met Beta Corp . The two sides will build a lab .", tags={"met": "VBD"})
    sides = doc[8]
    assert group_size(doc, sides) == 2
    assert group_members(doc, sides, 2, ANCHORS) == ["acme", "beta"]
    # "the two days" is no group of organisations; one organisation named is too few
    days = make_doc("The two days were busy")[2]
    assert group_size(days.doc, days) == 0
    assert group_members(doc, sides, 3, ANCHORS) == []


# -- acronyms and types in context ------------------------------------------------------------
def test_acronym_joins_its_full_name() -> None:
    doc = make_doc(
        "the Northvale Institute of Technology ( NIT ) signed with Corvane Ltd. and NIT grew",
        tags={"signed": "VBD", "grew": "VBD"},
    )
    clusters = resolve(doc)
    nit = next(c for c in clusters if "Northvale Institute of Technology" in c.names)
    assert "NIT" in nit.names


def test_acronym_letters_do_not_make_a_university() -> None:
    # an unexplained "UNA" with no academic word near it is no University ...
    doc = make_doc("the grant came from UNA on Monday", {"UNA": "ORG"}, tags={"came": "VBD"})
    assert typed(resolve(doc)).get("UNA") != "University"
    # ... but students and a dean make it one
    doc = make_doc("the dean of UNA said students came", {"UNA": "ORG"}, tags={"said": "VBD"})
    assert typed(resolve(doc)).get("UNA") == "University"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("the Department of Labor funded it", "Department of Labor", "GovernmentBody"),
        (
            "the Department of Physics of Northvale University hired",
            "Department of Physics of Northvale University",
            "Institute",
        ),
        (
            "the Office of the Ashford Municipal Government agreed",
            "Office of the Ashford Municipal Government",
            "GovernmentBody",
        ),
        ("Kestrel Community College signed", "Kestrel Community College", "University"),
        ("the Kestrel Research Institute signed", "Kestrel Research Institute", "Institute"),
    ],
)
def test_subunit_and_college_types_come_from_parent_and_kind(text: str, name: str, expected: str) -> None:
    verb = next(w for w in text.split() if w in {"funded", "hired", "agreed", "signed"})
    assert typed(resolve(make_doc(text, tags={verb: "VBD"})))[name] == expected


def test_short_form_joins_the_university_it_names() -> None:
    doc = make_doc(
        "the University of Kestrel joined the alliance . Kestrel is an ambitious institution .",
        {"Kestrel#2": "GPE"},
        tags={"joined": "VBD", "is": "VBZ"},
    )
    clusters = resolve(doc)
    assert "Kestrel" not in typed(clusters)  # no place of its own
    uni = next(c for c in clusters if c.name == "University of Kestrel")
    assert any(m.tok_start == 8 for m in uni.mentions)  # the second sentence's "Kestrel"
    # after a preposition it stays a place
    doc = make_doc(
        "the University of Kestrel joined the alliance . It opened in Kestrel today .",
        {"Kestrel#2": "GPE"},
        tags={"joined": "VBD", "opened": "VBD"},
    )
    assert typed(resolve(doc)).get("Kestrel") == "Place"


@pytest.mark.slow
def test_its_and_which_through_the_pipeline(extractor) -> None:
    from extract.model import Article

    text = (
        "The Corvane Robotics Alliance was launched on Monday. Its first chair is Ann Lee. "
        "Members include the Northvale Institute of Technology (NIT), which is based in Ashford."
    )
    ex = extractor.extract(Article(text=text, source="test", language="en"))
    alliance = next(e for e in ex.entities if e.name == "Corvane Robotics Alliance")
    its = text.index("Its")
    assert (its, its + 3) in alliance.mentions
    nit = next(e for e in ex.entities if e.name == "Northvale Institute of Technology")
    which = text.index("which")
    assert (which, which + 5) in nit.mentions
