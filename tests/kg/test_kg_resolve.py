"""Entity resolution: the rules merge what they should and, tested both ways, nothing else."""

from __future__ import annotations

import pytest

from extract.model import Entity, Extraction
from kg.resolve import Resolver


def _resolver(*known: tuple[str, str, list[str]]) -> Resolver:
    r = Resolver()
    for iri, typ, names in known:
        r.add(iri, typ, names)
    return r


KNOWN = (
    ("u:usst", "University", ["University of Shanghai for Science and Technology"]),
    ("u:aut", "University", ["Anhui University of Technology"]),
    ("u:aust", "University", ["Anhui University of Science and Technology"]),
    ("u:hunan", "University", ["Hunan University"]),
    ("u:xut", "University", ["Xi'an University of Technology"]),
    ("u:msut", "University", ["Moscow State Technological University (Stankin)"]),
    ("g:moe", "GovernmentBody", ["Ministry of Education"]),
    ("e:yalong", "Enterprise", ["Yalong Intelligent Equipment Co., Ltd."]),
    ("i:center", "Institute", ["Sino-Foreign Cultural Exchange Centre"]),
)


@pytest.mark.parametrize(
    "typ, names, expected",
    [
        ("University", ["USST"], "u:usst"),  # acronym → full name
        ("University", ["the University of Shanghai for Science & Technology"], "u:usst"),  # the, &
        ("University", ["UNIVERSITY OF SHANGHAI FOR SCIENCE AND TECHNOLOGY"], "u:usst"),  # case
        ("University", ["Xian University of Technology"], "u:xut"),  # apostrophe
        ("University", ["Xi'an University of Technology."], "u:xut"),  # punctuation
        ("University", ["Stankin"], "u:msut"),  # parenthetical name
        ("University", ["Moscow State Technological University"], "u:msut"),
        ("University", ["Hunan Univeristy"], "u:hunan"),  # one transposition typo
        ("GovernmentBody", ["MOE"], "g:moe"),  # acronym keeping 'of'
        ("GovernmentBody", ["the Ministry of Education (MOE)"], "g:moe"),
        ("Enterprise", ["Yalong Intelligent Equipment"], "e:yalong"),  # legal form
        ("Institute", ["Sino-Foreign Cultural Exchange Center"], "i:center"),  # centre/center
        ("Institute", ["Sino Foreign Cultural Exchange Centres"], "i:center"),  # hyphen, plural
        ("University", ["Anhui University of Technology"], "u:aut"),
        ("University", ["Anhui University of Science and Technology"], "u:aust"),
        ("University", ["AUST"], "u:aust"),
        ("University", ["AUT"], "u:aut"),
    ],
)
def test_merges(typ: str, names: list[str], expected: str) -> None:
    assert _resolver(*KNOWN).match(typ, names) == expected


@pytest.mark.parametrize(
    "typ, names",
    [
        ("University", ["Anhui University of Science"]),  # whole words differ
        ("University", ["Henan University"]),  # one-letter substitution: another place
        ("University", ["Hunan Normal University"]),
        ("University", ["Shanghai University"]),
        ("Enterprise", ["USST"]),  # other type
        ("Institute", ["Ministry of Education"]),  # other type
        ("University", ["our school"]),  # generic reference never matches
        ("University", ["University"]),
        ("University", ["Auckland University of Technology (AUT)"]),  # shared acronym, both fully named
    ],
)
def test_does_not_merge(typ: str, names: list[str]) -> None:
    assert _resolver(*KNOWN).match(typ, names) is None


@pytest.mark.parametrize("order", [("aut", "aust"), ("aust", "aut")])
def test_similar_names_stay_apart_in_either_order(order: tuple[str, str]) -> None:
    names = {"aut": "Anhui University of Technology", "aust": "Anhui University of Science and Technology"}
    r = Resolver()
    for key in order:
        found = r.match("University", [names[key]])
        assert found is None
        r.add(f"u:{key}", "University", [names[key]])
    assert r.match("University", [names["aut"]]) == "u:aut"
    assert r.match("University", [names["aust"]]) == "u:aust"


@pytest.mark.parametrize("acronym_first", [True, False])
def test_acronym_and_full_name_merge_in_either_order(acronym_first: bool) -> None:
    full = ["University of Shanghai for Science and Technology"]
    r = Resolver()
    first, second = (["USST"], full) if acronym_first else (full, ["USST"])
    assert r.match("University", first) is None
    r.add("u:first", "University", first)
    assert r.match("University", second) == "u:first"


def test_ambiguous_acronym_does_not_merge() -> None:
    r = _resolver(
        ("u:1", "University", ["Nordvale Technical University"]),
        ("u:2", "University", ["Northern Textile University"]),
    )
    assert r.match("University", ["NTU"]) is None


def test_resolve_within_article_and_against_store() -> None:
    r = _resolver(*KNOWN)
    extraction = Extraction(
        article="x",
        entities=[
            Entity("a", "USST", "University"),  # acronym before its full name in the list
            Entity("b", "University of Shanghai for Science and Technology", "University"),
            Entity("c", "Lintor Polytechnic University", "University"),
            Entity("d", "LPU", "University"),
            Entity("e", "our college", "University"),
        ],
    )
    res = r.resolve(extraction, "ab" * 32)
    assert str(res.iris["a"]) == str(res.iris["b"]) == "u:usst"
    assert res.iris["c"] == res.iris["d"]
    assert str(res.iris["c"]).endswith("/university/lintor-polytechnic-university")
    assert str(res.iris["e"]).endswith("/university/abababab-our-college")  # article-local
    assert res.new == {res.iris["c"], res.iris["e"]}
    assert set(res.names[res.iris["a"]]) == {"USST", "University of Shanghai for Science and Technology"}
    # resolve does not change the index until commit
    assert r.match("University", ["Lintor Polytechnic University"]) is None
    r.commit(res)
    assert r.match("University", ["LPU"]) == str(res.iris["c"])


def test_forget_removes_from_index() -> None:
    r = _resolver(*KNOWN)
    r.forget(["u:usst"])
    assert r.match("University", ["USST"]) is None
    assert "u:usst" not in r
