"""The graph built from data/articles by the real extractor: SHACL conforms and the issue's
acceptance questions are answered. Its pass depends on extraction quality (real spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.model import Article
from kg.examples import get_query
from kg.ingest import ingest_extraction
from kg.resolve import Resolver
from kg.store import Repo, open_repo
from kg.validate import validate_repo

DATA = Path(__file__).resolve().parents[2] / "data" / "articles"

pytestmark = pytest.mark.slow


def _articles() -> list[Article]:
    from extract.readers import read_paths

    out = [a for a in read_paths([str(DATA)]) if isinstance(a, Article)]
    assert len(out) == len(list(DATA.glob("*.txt")))
    return out


@pytest.fixture(scope="module")
def corpus_store(extractor) -> tuple[Repo, list]:  # noqa: ANN001 - session fixture from tests/conftest.py
    repo = open_repo("memory")
    articles = _articles()
    extractions = [extractor.extract(a) for a in articles]
    resolver = Resolver.from_repo(repo)
    outcomes = [
        ingest_extraction(repo, a, x, resolver=resolver) for a, x in zip(articles, extractions, strict=True)
    ]
    assert {o.status for o in outcomes} == {"ingested"}
    return repo, list(zip(articles, extractions, strict=True))


def _rows(repo: Repo, name: str, **params: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in repo.query(get_query(name).render(**params)).rows]


def test_shacl_conforms(corpus_store) -> None:  # noqa: ANN001
    repo, _ = corpus_store
    report = validate_repo(repo)
    assert report.conforms, "\n".join(v.line() for v in report.violations[:20])


def test_reingest_leaves_the_triple_count_unchanged(corpus_store) -> None:  # noqa: ANN001
    repo, pairs = corpus_store
    size, dump = len(repo), repo.dump("nquads")
    resolver = Resolver.from_repo(repo)
    assert {ingest_extraction(repo, a, x, resolver=resolver).status for a, x in pairs} == {"unchanged"}
    assert len(repo) == size and repo.dump("nquads") == dump


def test_huawei_partners_with_xian_university_of_technology(corpus_store) -> None:  # noqa: ANN001
    repo, _ = corpus_store
    rows = _rows(repo, "partners_of_university", university="Xi'an University of Technology")
    assert "Huawei" in {r["partnerLabel"] for r in rows}


def test_six_member_universities_of_the_alliance(corpus_store) -> None:  # noqa: ANN001
    repo, _ = corpus_store
    rows = _rows(repo, "members_of_alliance", alliance="Yangtze River Delta")
    by_alliance: dict[str, set[str]] = {}
    for r in rows:
        if r["memberType"] == "University":
            by_alliance.setdefault(r["alliance"], set()).add(r["member"])
    assert any(len(members) == 6 for members in by_alliance.values()), by_alliance


@pytest.mark.xfail(
    strict=True,
    reason="known regression: acronyms are no longer typed by their letters, and seed 000 names its "
    "unnamed publisher only by an unexplained acronym ('USST's influence'), so it is not joined to "
    "seed 004's University of Shanghai for Science and Technology",
)
def test_usst_is_one_node_with_both_articles(corpus_store) -> None:  # noqa: ANN001
    repo, _ = corpus_store
    rows = _rows(repo, "entity_provenance", entity="USST")
    universities = {r["entity"] for r in rows if r["type"] == "University"}
    assert len(universities) == 1, universities
    sources = {Path(r["source"]).name[:3] for r in rows}
    assert {"000", "004"} <= sources
