"""Each relation rule, list splitting, aliases, coreference and negation on short sentences of
our own (none taken from the seed articles), through the real spaCy pipeline."""

from __future__ import annotations

import pytest

from extract.model import Article, Extraction
from tests.extract.helpers import triples


def run(extractor, text: str) -> Extraction:
    return extractor.extract(Article(text=text, source="test", language="en"))


def types(ex: Extraction) -> dict[str, str]:
    return {e.name: e.type for e in ex.entities}


def test_partnership_agreement_with(extractor) -> None:
    ex = run(
        extractor,
        "Riverside University signed a strategic cooperation agreement with "
        "Nova Robotics Co., Ltd. on Tuesday.",
    )
    assert ("Nova Robotics Co., Ltd.", "partnersWith", "Riverside University") in triples(ex)
    assert types(ex) == {"Riverside University": "University", "Nova Robotics Co., Ltd.": "Enterprise"}
    nova = next(e for e in ex.entities if e.type == "Enterprise")
    assert "Nova Robotics" in nova.aliases  # legal suffix dropped as an alias


def test_partnership_between(extractor) -> None:
    ex = run(
        extractor,
        "An agreement between Lakeview College and the Greenfield Municipal "
        "Bureau of Education was signed in March.",
    )
    assert ("Greenfield Municipal Bureau of Education", "partnersWith", "Lakeview College") in triples(ex)
    assert types(ex)["Greenfield Municipal Bureau of Education"] == "GovernmentBody"


def test_joint_establishment_gives_founders_and_partners(extractor) -> None:
    ex = run(
        extractor,
        "The Smart Energy Research Center was jointly established by Northgate "
        "University and Helios Power Group.",
    )
    t = triples(ex)
    assert ("Smart Energy Research Center", "establishedBy", "Northgate University") in t
    assert ("Smart Energy Research Center", "establishedBy", "Helios Power Group") in t
    assert ("Helios Power Group", "partnersWith", "Northgate University") in t
    rel = next(r for r in ex.relations if r.predicate == "establishedBy")
    text = "The Smart Energy Research Center was jointly established by Northgate University and Helios Power Group."
    assert text[rel.start : rel.end] == rel.sentence and 0 < rel.confidence <= 1


def test_university_sets_up_its_own_college(extractor) -> None:
    ex = run(extractor, "Eastbrook University will establish the Digital Media College this autumn.")
    t = triples(ex)
    assert ("Digital Media College", "establishedBy", "Eastbrook University") in t
    assert ("Digital Media College", "partOf", "Eastbrook University") in t
    assert types(ex)["Digital Media College"] == "Institute"


def test_member_list_yields_one_relation_per_member(extractor) -> None:
    ex = run(
        extractor,
        "The Coastal Engineering Education Alliance has members including Harbor "
        "University, Bayside Institute of Technology, Pacific Maritime University "
        "and Delta Shipping Group.",
    )
    members = {
        s for s, p, o in triples(ex) if p == "memberOf" and o == "Coastal Engineering Education Alliance"
    }
    assert members == {
        "Harbor University",
        "Bayside Institute of Technology",
        "Pacific Maritime University",
        "Delta Shipping Group",
    }


def test_joined_alliance(extractor) -> None:
    ex = run(extractor, "Westlake Polytechnic joined the Greater Bay Vocational Education Alliance in 2021.")
    assert ("Westlake Polytechnic", "memberOf", "Greater Bay Vocational Education Alliance") in triples(ex)


@pytest.mark.parametrize(
    "text",
    [
        "Chen Wei, president of Harbor University, attended the ceremony.",
        "Harbor University President Chen Wei attended the ceremony.",
    ],
)
def test_leads(extractor, text: str) -> None:
    assert ("Chen Wei", "leads", "Harbor University") in triples(run(extractor, text))


def test_located_in_and_part_of_at(extractor) -> None:
    t = triples(run(extractor, "The Marine Biology Center was established at Harbor University in Qingdao."))
    assert ("Marine Biology Center", "partOf", "Harbor University") in t
    assert ("Harbor University", "locatedIn", "Qingdao") in t
    t = triples(run(extractor, "The Mekong Skills Training Center in Vientiane opened last week."))
    assert ("Mekong Skills Training Center", "locatedIn", "Vientiane") in t


def test_of_naming_gives_part_of_and_short_alias(extractor) -> None:
    ex = run(extractor, "The Robotics Academy of Greenhill Technical University opened on Monday.")
    assert (
        "Robotics Academy of Greenhill Technical University",
        "partOf",
        "Greenhill Technical University",
    ) in triples(ex)
    academy = next(e for e in ex.entities if e.name.startswith("Robotics Academy"))
    assert "Robotics Academy" in academy.aliases


def test_parenthetical_acronym_is_an_alias_and_resolves_later(extractor) -> None:
    ex = run(
        extractor,
        "The Northern Institute of Technology (NIT) held a forum. NIT signed a "
        "cooperation agreement with Orion Aerospace Co., Ltd. at the forum.",
    )
    nit = [e for e in ex.entities if "NIT" in [e.name, *e.aliases]]
    assert len(nit) == 1 and nit[0].name == "Northern Institute of Technology"
    assert ("Northern Institute of Technology", "partnersWith", "Orion Aerospace Co., Ltd.") in triples(ex)


def test_acronym_matched_by_initials(extractor) -> None:
    ex = run(
        extractor,
        "Scholars from the University of Lakeshore for Science and Technology met. "
        "ULST signed an agreement with Vega Motors Co., Ltd.",
    )
    ulst = [e for e in ex.entities if "ULST" in [e.name, *e.aliases]]
    assert len(ulst) == 1 and ulst[0].name == "University of Lakeshore for Science and Technology"


def test_unnamed_publisher_is_one_entity(extractor) -> None:
    ex = run(
        extractor,
        "Our college signed a cooperation agreement with Apex Software Co., Ltd. "
        "The college will open a joint software lab with the company. "
        "Our college thanks its partners.",
    )
    publishers = [e for e in ex.entities if e.name.lower().startswith("our ")]
    assert len(publishers) == 1 and publishers[0].type == "University"
    assert ("Apex Software Co., Ltd.", "partnersWith", "Our college") in triples(ex)
    # "build a lab with the company" does not make the company something the college founded
    assert not any(p == "establishedBy" and s.startswith("Apex") for s, p, o in triples(ex))


def test_the_university_resolves_to_the_latest_university(extractor) -> None:
    ex = run(
        extractor,
        "Hillcrest University held its annual forum on Friday. During the forum, "
        "the university announced the establishment of the Future Energy College.",
    )
    assert ("Future Energy College", "establishedBy", "Hillcrest University") in triples(ex)


@pytest.mark.parametrize(
    ("denied", "stated"),
    [
        (
            "Riverside University did not sign an agreement with Nova Robotics Co., Ltd.",
            "Riverside University signed an agreement with Nova Robotics Co., Ltd.",
        ),
        (
            "Riverside University may establish the Joint Vision Lab next year.",
            "Riverside University will establish the Joint Vision Lab next year.",
        ),
        (
            "If approved, the Blue Ocean Research Institute would be established by Harbor University.",
            "The Blue Ocean Research Institute was established by Harbor University.",
        ),
        (
            "Riverside University never joined the Coastal Engineering Education Alliance.",
            "Riverside University joined the Coastal Engineering Education Alliance.",
        ),
    ],
)
def test_negated_or_hypothetical_statements_are_not_facts(extractor, denied: str, stated: str) -> None:
    assert triples(run(extractor, stated)), "the affirmative form must yield a relation"
    assert triples(run(extractor, denied)) == set()


def test_coordinated_names_are_split_but_inner_and_is_kept(extractor) -> None:
    ex = run(
        extractor,
        "The Intelligent Control Center and the Industrial Design Center were "
        "established by the Science and Technology Institute of Harbor University.",
    )
    names = set(types(ex))
    assert {"Intelligent Control Center", "Industrial Design Center"} <= names
    assert "Science and Technology Institute of Harbor University" in names


def test_unnamed_publisher_takes_the_metadata_publisher(extractor) -> None:
    ex = extractor.extract(
        Article(
            text="Our college signed a cooperation agreement with Apex Software Co., Ltd. on Monday.",
            source="test",
            language="en",
            publisher="Lakeside Vocational College",
        )
    )
    pub = next(e for e in ex.entities if e.type == "University")
    assert pub.name == "Lakeside Vocational College" and "Our college" in pub.aliases
    assert ("Apex Software Co., Ltd.", "partnersWith", "Lakeside Vocational College") in triples(ex)


def test_members_formed_by_are_not_pairwise_partners(extractor) -> None:
    """Co-members and co-founders of a group are members, not partners of each other; the
    co-founders of a joint unit are."""
    group = run(
        extractor,
        "The network is formed by its members, which include Northvale University, "
        "Eastbrook University and Westmoor University.",
    )
    assert not any(p == "partnersWith" for _, p, _ in triples(group))
    unit = run(
        extractor,
        "The Coastal Robotics Joint Laboratory was established by Northvale University and Acme Robotics Ltd.",
    )
    assert ("Acme Robotics Ltd.", "partnersWith", "Northvale University") in triples(unit)


def test_members_of_a_project_make_it_a_group(extractor) -> None:
    text = (
        "The Advanced Welding Talent Consortium Project was launched in May. The members of the project "
        "include Northvale University and Eastbrook University."
    )
    ex = run(extractor, text)
    t = triples(ex)
    assert ("Northvale University", "memberOf", "Advanced Welding Talent Consortium Project") in t
    assert ("Eastbrook University", "memberOf", "Advanced Welding Talent Consortium Project") in t
    assert types(ex)["Advanced Welding Talent Consortium Project"] == "Alliance"
    plain = run(
        extractor,
        "The Advanced Welding Talent Consortium Project was launched in May by Northvale University.",
    )
    assert types(plain)["Advanced Welding Talent Consortium Project"] == "Program"


def test_honorific_names_a_person(extractor) -> None:
    ex = run(extractor, "Prof RK Vardan, dean of Northvale University, opened the workshop.")
    assert types(ex).get("RK Vardan") == "Person"
    assert ("RK Vardan", "leads", "Northvale University") in triples(ex)
    bare = run(extractor, "RK Vardan opened the workshop at Northvale University.")
    assert "Prof RK Vardan" not in types(bare)


def test_leader_with_two_titles_at_an_organisation(extractor) -> None:
    ex = run(
        extractor,
        "Acme Robotics and Northvale University renewed their agreement. "
        "Maria Lindqvist, President and CEO at Northvale University, signed it.",
    )
    assert ("Maria Lindqvist", "leads", "Northvale University") in triples(ex)
    assert ("Maria Lindqvist", "leads", "Acme Robotics") not in triples(ex)


def test_founding_members_listed_one_per_line(extractor) -> None:
    text = (
        "The Coastal Universities Alliance was announced on Monday. Its founding members include:\n"
        "• Northvale University, Canada\n"
        "• Eastbrook University\n"
        "• Westmoor Institute of Technology, Kenya\n"
    )
    t = triples(run(extractor, text))
    for member in ("Northvale University", "Eastbrook University", "Westmoor Institute of Technology"):
        assert (member, "memberOf", "Coastal Universities Alliance") in t
        assert ("Coastal Universities Alliance", "establishedBy", member) in t
    plain = triples(run(extractor, text.replace("founding members", "members")))
    assert ("Northvale University", "memberOf", "Coastal Universities Alliance") in plain
    assert not any(p == "establishedBy" for _, p, _ in plain)


def test_surname_alone_is_the_person_named_in_full(extractor) -> None:
    ex = run(
        extractor,
        "Maria T. Lindqvist, President of Northvale University, spoke first. "
        "Dr. Lindqvist said the lab would open in May.",
    )
    people = [e for e in ex.entities if e.type == "Person"]
    assert [p.name for p in people] == ["Maria T. Lindqvist"] and "Lindqvist" in people[0].aliases
    two = run(
        extractor,
        "Maria Lindqvist and Anna Lindqvist of Northvale University spoke first. Dr. Lindqvist closed.",
    )
    assert "Lindqvist" in {e.name for e in two.entities}  # two candidates: left alone


def test_country_after_an_acronym_is_a_place(extractor) -> None:
    ex = run(
        extractor,
        "The agreement between the Northvale Institute of Technology (NIT), Canada and "
        "Eastbrook University was signed on Monday.",
    )
    assert types(ex).get("Canada") == "Place"


def test_title_of_a_possessed_unit_leads_the_unit(extractor) -> None:
    t = triples(
        run(extractor, "Maria Lindqvist, director of Northvale University's Academic Affairs Office, spoke.")
    )
    assert ("Maria Lindqvist", "leads", "Academic Affairs Office") in t
    assert ("Maria Lindqvist", "leads", "Northvale University") not in t
    plain = triples(run(extractor, "Maria Lindqvist, director of Northvale University, spoke."))
    assert ("Maria Lindqvist", "leads", "Northvale University") in plain


def test_agreement_signed_by_parties_in_the_passive(extractor) -> None:
    t = triples(
        run(
            extractor,
            "The cooperation agreement was signed on Monday by representatives from Northvale "
            "University, Acme Robotics Ltd. and the Westmoor Institute of Technology.",
        )
    )
    assert ("Acme Robotics Ltd.", "partnersWith", "Northvale University") in t
    assert ("Northvale University", "partnersWith", "Westmoor Institute of Technology") in t
    report = triples(
        run(
            extractor,
            "The annual report was signed on Monday by representatives from Northvale "
            "University, Acme Robotics Ltd. and the Westmoor Institute of Technology.",
        )
    )
    assert not any(p == "partnersWith" for _, p, _ in report)


def test_hyphenated_and_qualified_titles(extractor) -> None:
    t = triples(run(extractor, "Northvale University vice-chancellor Maria Lindqvist opened the lab."))
    assert ("Maria Lindqvist", "leads", "Northvale University") in t
    t = triples(
        run(extractor, "Anna Berg, Executive Vice President at Acme Robotics Ltd., signed the agreement.")
    )
    assert ("Anna Berg", "leads", "Acme Robotics Ltd.") in t
    t = triples(run(extractor, "Northvale University student Maria Lindqvist opened the lab."))
    assert not any(p == "leads" for _, p, _ in t)


def test_title_of_an_organisation_before_the_person(extractor) -> None:
    t = triples(
        run(extractor, "At the ceremony, the vice-rector of Northvale University, Maria Lindqvist, spoke.")
    )
    assert ("Maria Lindqvist", "leads", "Northvale University") in t
    t = triples(
        run(extractor, "At the ceremony, the campus of Northvale University, Maria Lindqvist said, was full.")
    )
    assert not any(p == "leads" for _, p, _ in t)
