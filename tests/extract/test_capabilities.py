"""The sentence shapes the extractor is meant to read, each through the real pipeline and each
paired with a near-miss that looks alike but must not give the same answer, so a test can fail
for the right reason (a rule that fires on everything passes the shape and fails its near-miss).

Every sentence here is invented for the tests; the organisation, person and place names are
made up. A capability the extractor does not have yet is marked `xfail(strict=True)` with what
is missing: it fails today, and the day it starts passing the strict mark turns it into a
failure, so the mark has to be removed by whoever closed the gap.
"""

from __future__ import annotations

import pytest

from extract.model import Article, Extraction
from tests.extract.helpers import triples

pytestmark = pytest.mark.slow  # every test runs the spaCy model


def run(extractor, text: str) -> Extraction:
    return extractor.extract(Article(text=text, source="capability-test", language="en"))


def types(ex: Extraction) -> dict[str, str]:
    return {e.name: e.type for e in ex.entities}


def org_names(ex: Extraction) -> set[str]:
    return {e.name for e in ex.entities if e.type not in {"Person", "Place", "Program"}}


def related(ex: Extraction, predicate: str) -> set[tuple[str, str]]:
    return {(s, o) for s, p, o in triples(ex) if p == predicate}


# -- coordination: "A and B signed ..." is two organisations ------------------------------------
@pytest.mark.xfail(
    strict=True,
    reason="a company name with neither a head noun nor a legal suffix ('Acme Robotics') is found "
    "only when the model's NER tags it; coordinated before a named institute it is not tagged, so "
    "the split yields one organisation and no partnership",
)
def test_coordination_splits_two_parties_without_legal_suffix(extractor) -> None:
    ex = run(
        extractor,
        "Acme Robotics and the Northvale Institute of Technology signed a cooperation agreement on Monday.",
    )
    assert {"Acme Robotics", "Northvale Institute of Technology"} <= org_names(ex), types(ex)
    assert ("Acme Robotics", "partnersWith", "Northvale Institute of Technology") in triples(ex)


def test_coordination_splits_two_parties(extractor) -> None:
    ex = run(
        extractor,
        "Acme Robotics Ltd. and the Northvale Institute of Technology signed a cooperation agreement on Monday.",
    )
    assert {"Acme Robotics Ltd.", "Northvale Institute of Technology"} <= org_names(ex), types(ex)
    assert not any(" and " in n for n in org_names(ex)), types(ex)
    assert ("Acme Robotics Ltd.", "partnersWith", "Northvale Institute of Technology") in triples(ex)


def test_near_miss_and_inside_one_name_is_not_split(extractor) -> None:
    ex = run(
        extractor,
        "The Northvale Institute of Science and Technology signed a cooperation agreement with "
        "Acme Robotics Ltd. on Monday.",
    )
    assert "Northvale Institute of Science and Technology" in org_names(ex), types(ex)
    assert "Northvale Institute of Science" not in org_names(ex)
    assert "Technology" not in org_names(ex)


# -- Title-Case headline: the verb is not part of the name, the head noun types it --------------
def test_headline_university_is_typed_university(extractor) -> None:
    ex = run(
        extractor, "Northvale University Joins the Coastal Robotics Alliance\n\nThe news came on Monday."
    )
    assert types(ex).get("Northvale University") == "University", types(ex)
    assert types(ex).get("Coastal Robotics Alliance") == "Alliance", types(ex)
    assert ("Northvale University", "Coastal Robotics Alliance") in related(ex, "memberOf")


def test_near_miss_headline_company_is_typed_enterprise(extractor) -> None:
    ex = run(
        extractor, "Acme Robotics Corporation Joins the Coastal Robotics Alliance\n\nThe news came on Monday."
    )
    assert types(ex).get("Acme Robotics Corporation") == "Enterprise", types(ex)
    assert not any(n.endswith("Joins") or " Joins " in n for n in types(ex)), types(ex)


# -- a member list, one organisation a line, under "The members are:" ---------------------------
LIST_HEADER = "The Coastal Robotics Alliance was founded in Ashford on Monday. The {} are:\n"
LIST_ITEMS = "Northvale University\nAcme Robotics Ltd.\nRiverside Polytechnic\nEastbrook University\n"
LISTED = {"Northvale University", "Acme Robotics Ltd.", "Riverside Polytechnic", "Eastbrook University"}


@pytest.mark.xfail(
    strict=True,
    reason="only the first item, within two sentences of the one naming the alliance, is paired "
    "with it; later items are paired with the header line, which names no alliance",
)
def test_line_broken_member_list_under_header(extractor) -> None:
    ex = run(extractor, LIST_HEADER.format("members") + LIST_ITEMS)
    members = {s for s, o in related(ex, "memberOf") if o == "Coastal Robotics Alliance"}
    assert members == LISTED, members


def test_near_miss_line_broken_guest_list_is_not_membership(extractor) -> None:
    ex = run(extractor, LIST_HEADER.format("guests") + LIST_ITEMS)
    assert not related(ex, "memberOf"), related(ex, "memberOf")


# -- a member list in the sentence after the one naming the alliance ----------------------------
LAUNCH = "The Coastal Robotics Alliance was launched in Ashford on Monday. "
THREE = "Northvale University, Acme Robotics Ltd. and Riverside Polytechnic."
THREE_NAMES = {"Northvale University", "Acme Robotics Ltd.", "Riverside Polytechnic"}


def test_cross_sentence_member_list_with_its(extractor) -> None:
    ex = run(extractor, LAUNCH + "Its founding members include " + THREE)
    assert {(n, "Coastal Robotics Alliance") for n in THREE_NAMES} <= related(ex, "memberOf")


@pytest.mark.xfail(
    strict=True,
    reason="'include' is a membership trigger on its own, so the organisations after 'Its guests "
    "included' are read as the alliance's members whatever the noun",
)
def test_near_miss_cross_sentence_guest_list_with_its(extractor) -> None:
    ex = run(extractor, LAUNCH + "Its guests included " + THREE)
    assert not related(ex, "memberOf"), related(ex, "memberOf")


@pytest.mark.xfail(
    strict=True,
    reason="without 'its', a copular 'The founding members are A, B and C' sentence is left to the "
    "scorer across sentences, which drops the middle item",
)
def test_cross_sentence_member_list_without_its(extractor) -> None:
    ex = run(extractor, LAUNCH + "The founding members are " + THREE)
    assert {(n, "Coastal Robotics Alliance") for n in THREE_NAMES} <= related(ex, "memberOf")


def test_near_miss_cross_sentence_guest_list_without_its(extractor) -> None:
    ex = run(extractor, LAUNCH + "The guests were " + THREE)
    assert not related(ex, "memberOf"), related(ex, "memberOf")


# -- "its" and "which" resolve to the right organisation ----------------------------------------
def test_its_refers_to_the_alliance_of_the_previous_sentence(extractor) -> None:
    ex = run(
        extractor, "The Coastal Robotics Alliance was launched on Monday. Its first president is Maria Lopez."
    )
    assert ("Maria Lopez", "Coastal Robotics Alliance") in related(ex, "leads")


def test_near_miss_its_with_no_role_is_not_leadership(extractor) -> None:
    ex = run(
        extractor, "The Coastal Robotics Alliance was launched on Monday. Its first visitor was Maria Lopez."
    )
    assert not related(ex, "leads"), related(ex, "leads")


def test_which_refers_to_the_nearest_organisation(extractor) -> None:
    ex = run(
        extractor,
        "Acme Robotics Ltd. signed an agreement with Northvale University, which is based in Ashford.",
    )
    assert related(ex, "locatedIn") == {("Northvale University", "Ashford")}


def test_near_miss_which_after_the_other_organisation(extractor) -> None:
    ex = run(
        extractor,
        "Northvale University signed an agreement with Acme Robotics Ltd., which is based in Ashford.",
    )
    assert related(ex, "locatedIn") == {("Acme Robotics Ltd.", "Ashford")}


# -- possessive partOf: "X's School of Y" -------------------------------------------------------
def test_possessive_sub_unit_is_part_of_its_owner(extractor) -> None:
    ex = run(extractor, "Northvale University's School of Engineering opened a new laboratory on Monday.")
    assert any(
        "School of Engineering" in s and o == "Northvale University" for s, o in related(ex, "partOf")
    ), triples(ex)


def test_near_miss_possessive_of_a_non_unit_is_not_part_of(extractor) -> None:
    ex = run(
        extractor, "Northvale University's partner Acme Robotics Ltd. opened a new laboratory on Monday."
    )
    assert ("Acme Robotics Ltd.", "Northvale University") not in related(ex, "partOf"), triples(ex)


# -- leadership shapes --------------------------------------------------------------------------
@pytest.mark.xfail(
    strict=True,
    reason="a company named by a brand and a country ('Acme India') is typed Place by the model's "
    "NER, so 'P, President, Acme India' gives no leads",
)
def test_name_title_company_with_country(extractor) -> None:
    ex = run(extractor, "The delegation was led by Ravi Kumar, President, Acme India.")
    assert ("Ravi Kumar", "Acme India") in related(ex, "leads"), types(ex)


def test_name_title_company(extractor) -> None:
    ex = run(extractor, "The delegation was led by Ravi Kumar, President, Acme Robotics India.")
    assert ("Ravi Kumar", "Acme Robotics India") in related(ex, "leads"), types(ex)


def test_near_miss_name_role_then_other_persons_title(extractor) -> None:
    ex = run(extractor, "Ravi Kumar, a student, met the President of Acme Robotics India on Monday.")
    assert not related(ex, "leads"), related(ex, "leads")


def test_title_of_company(extractor) -> None:
    ex = run(
        extractor, "Laura Chen, CEO of Acme Robotics Ltd., signed the agreement with Northvale University."
    )
    assert ("Laura Chen", "Acme Robotics Ltd.") in related(ex, "leads")


def test_near_miss_meeting_the_title_holder(extractor) -> None:
    ex = run(
        extractor,
        "Laura Chen met the CEO of Acme Robotics Ltd. on Monday to discuss the agreement with Northvale University.",
    )
    assert ("Laura Chen", "Acme Robotics Ltd.") not in related(ex, "leads")


def test_possessive_title_person(extractor) -> None:
    ex = run(extractor, "Northvale University's director Peter Walsh opened the event on Monday.")
    assert ("Peter Walsh", "Northvale University") in related(ex, "leads")


def test_near_miss_possessive_non_title_person(extractor) -> None:
    ex = run(extractor, "Northvale University's guest Peter Walsh opened the event on Monday.")
    assert not related(ex, "leads"), related(ex, "leads")


def test_its_first_chair(extractor) -> None:
    ex = run(
        extractor, "The Coastal Robotics Alliance was launched on Monday. Its first chair is Maria Lopez."
    )
    assert ("Maria Lopez", "Coastal Robotics Alliance") in related(ex, "leads")


def test_near_miss_its_first_speaker(extractor) -> None:
    ex = run(
        extractor, "The Coastal Robotics Alliance was launched on Monday. Its first speaker is Maria Lopez."
    )
    assert not related(ex, "leads"), related(ex, "leads")


# -- a venue is not a parent --------------------------------------------------------------------
def test_venue_is_not_a_parent(extractor) -> None:
    ex = run(
        extractor,
        "Northvale University and Acme Robotics Ltd. signed an agreement at a ceremony in the "
        "Riverside Conference Center.",
    )
    assert ("Acme Robotics Ltd.", "partnersWith", "Northvale University") in triples(ex)
    assert not any("Riverside Conference Center" in (s, o) for s, o in related(ex, "partOf")), triples(ex)


def test_near_miss_named_parent_after_the_centre(extractor) -> None:
    ex = run(
        extractor,
        "Northvale University and Acme Robotics Ltd. signed an agreement at the Riverside Robotics "
        "Center of Northvale University.",
    )
    assert ("Riverside Robotics Center of Northvale University", "Northvale University") in related(
        ex, "partOf"
    )
