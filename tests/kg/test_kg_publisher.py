"""Titles and unnamed publishers as a reader meets them: a release without a headline is listed
by its first sentence, and the publisher it only calls "our college" gets a name a person can
place (its publisher field, its site, else 'publisher of ‹title›'), which analytics leave out
unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from kg_support import build

from extract.readers import read_paths
from kg.analytics import analyze
from kg.ingest import ingest_extraction
from kg.mapping import MAX_TITLE_CHARS
from kg.store import Repo

SEEDS = Path(__file__).resolve().parents[2] / "data" / "articles"
PARAGRAPH = (
    "On March 3, Ardent University and Borel Systems Co., Ltd. signed an agreement on a joint lab "
    "for robotics. Our college will send twenty teachers. The lab opens in May."
)
LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?what ?text WHERE { { ?a dcterms:title ?text BIND("title" AS ?what) }
  UNION { ?e skos:prefLabel ?text BIND("label" AS ?what) } }"""


def texts(repo: Repo, what: str) -> set[str]:
    return {str(r["text"]) for r in repo.query(LABELS).rows if str(r["what"]) == what}


def ingest_one(repo: Repo, source: str, **meta: str) -> None:
    article, extraction = build(
        PARAGRAPH,
        source,
        [
            ("u", "Ardent University", "University"),
            ("c", "Borel Systems Co., Ltd.", "Enterprise"),
            ("p", "our college", "University"),
        ],
        [("u", "partnersWith", "c", PARAGRAPH.split(". Our")[0] + ".")],
        title=PARAGRAPH,
        **meta,
    )
    assert ingest_extraction(repo, article, extraction).status == "ingested"


def test_a_paragraph_title_becomes_its_first_sentence(repo: Repo) -> None:
    ingest_one(repo, "a.txt")
    (title,) = texts(repo, "title")
    first = PARAGRAPH.split(". Our")[0]
    assert len(title) <= MAX_TITLE_CHARS
    assert title == first or (title.endswith("…") and first.startswith(title[:-1]))


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"publisher": "Ardent College of Arts"}, "Ardent College of Arts"),
        ({"url": "https://www.news.ardent.example/2024/03/lab.html"}, "publisher at news.ardent.example"),
        ({}, None),  # 'publisher of ‹title›'
    ],
)
def test_unnamed_publisher_gets_a_name(repo: Repo, meta: dict[str, str], expected: str | None) -> None:
    ingest_one(repo, "a.txt", **meta)
    labels = texts(repo, "label")
    assert "our college" not in labels
    if expected is None:
        (title,) = texts(repo, "title")
        (expected,) = [label for label in labels if label.startswith("publisher of ‹")]
        assert expected.endswith("…›") and title.startswith(expected.removeprefix("publisher of ‹")[:-2])
        assert len(expected) < len(title)
    assert expected in labels, labels


@pytest.mark.slow
def test_seed_analytics_leave_the_placeholder_out(repo: Repo, extractor: object) -> None:
    """On the seed corpus, with the real extractor: no seed title is a paragraph, 'our college'
    is not a label, and its stand-in tops no ranking unless asked for."""
    articles = list(read_paths([str(SEEDS)]))
    for article, extraction in zip(articles, extractor.extract_many(articles), strict=True):  # type: ignore[attr-defined]
        ingest_extraction(repo, article, extraction)
    titles = texts(repo, "title")
    assert len(titles) == len(articles)
    assert all(len(t) <= MAX_TITLE_CHARS for t in titles), titles
    labels = texts(repo, "label")
    assert not any(label.lower().startswith("our ") for label in labels)
    placeholders = {label for label in labels if label.startswith("publisher of ‹")}
    assert placeholders, labels  # the seed corpus has a release that never names its publisher
    default = analyze(repo, top=50)
    ranked = {r.label for r in default.by_degree + default.by_betweenness}
    assert not ranked & placeholders
    shown = analyze(repo, top=50, placeholders=True)
    assert {r.label for r in shown.by_degree} & placeholders
