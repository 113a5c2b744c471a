"""kg.pipeline.Ingester end to end: real readers, real spaCy, a real (in-memory) Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import Corpus

from extract.pipeline import Extractor
from kg.pipeline import Event, Ingester, Summary
from kg.store import Repo

pytestmark = pytest.mark.slow

META = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX edukg: <https://w3id.org/edukg/ontology#>
SELECT ?a ?source ?hash ?title ?date ?url ?publisher ?language WHERE {
  GRAPH ?a { ?a a edukg:Article ; dcterms:source ?source ; edukg:contentHash ?hash .
    OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:date ?date }
    OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a dcterms:publisher ?publisher }
    OPTIONAL { ?a dcterms:language ?language } }
}
"""


def stored_articles(repo: Repo) -> dict[str, dict[str, str]]:
    """source → metadata of every article graph in the store."""
    return {str(row["source"]): {k: str(v) for k, v in row.items()} for row in repo.query(META).rows}


def run(repo: Repo, extractor: Extractor, paths: list[str], **kw: int) -> tuple[Summary, list[Event]]:
    events: list[Event] = []
    summary = Ingester(repo, extractor, **kw).run(paths, on_event=events.append)
    return summary, events


def test_batch_outcomes_and_metadata(repo: Repo, extractor: Extractor, corpus: Corpus) -> None:
    summary, events = run(repo, extractor, [str(corpus.root)])

    assert summary.ingested == len(corpus.english)
    assert (summary.unchanged, summary.replaced) == (0, 0)
    assert sorted(s for s, _ in summary.failed) == sorted(corpus.corrupt)
    skipped = dict(summary.skipped)
    assert set(skipped) == set(corpus.duplicates) | set(corpus.non_english)
    for dup in corpus.duplicates:  # the same text under two names (and with CRLF) is one article
        assert skipped[dup] == f"{dup}: same text as {corpus.root / 'a.txt'}; skipped"
    assert "not English" in skipped[corpus.non_english[0]]
    assert summary.total == len(events) == len(corpus.english) + 2 + 1 + 2
    assert not summary.ok

    stored = stored_articles(repo)
    assert set(stored) == set(corpus.english)
    for source, expected in corpus.english.items():
        got = stored[source]
        assert got["language"] == "en"
        assert got["a"].endswith(got["hash"][:16])
        for key, value in expected.items():
            assert got[key] == value, (source, key)
    ingested_iris = {e.article for e in events if e.status == "ingested"}
    assert ingested_iris == {m["a"] for m in stored.values()}


def test_rerun_is_unchanged_and_edit_is_replaced(repo: Repo, extractor: Extractor, corpus: Corpus) -> None:
    first, _ = run(repo, extractor, [str(corpus.root)])
    quads = len(repo)
    # an interrupted or repeated run: every stored text is recognised by hash, nothing re-extracted
    again, events = run(repo, extractor, [str(corpus.root)])
    assert (again.ingested, again.replaced, again.unchanged) == (0, 0, first.ingested)
    assert len(repo) == quads
    assert all(e.status in ("unchanged", "skipped", "failed") for e in events)

    edited = corpus.root / "notes" / "b.md"
    edited.write_text(edited.read_text("utf-8") + "\nThe laboratory opens in June.\n", "utf-8")
    before = stored_articles(repo)[str(edited)]["a"]
    third, _ = run(repo, extractor, [str(edited)])
    assert (third.replaced, third.ingested) == (1, 0)
    after = stored_articles(repo)[str(edited)]["a"]
    assert after != before
    assert before not in repo.named_graphs()


def test_parallel_workers_keep_articles_and_results_paired(
    repo: Repo, extractor: Extractor, corpus: Corpus
) -> None:
    """n_process=2 (forced even for a small batch): each result must land on its own article."""
    summary, _ = run(repo, extractor, [str(corpus.root)], n_process=2, batch_size=2, min_parallel=0)
    assert summary.warnings == []  # the workers really ran (no fallback to one process)
    assert summary.ingested == len(corpus.english)
    stored = stored_articles(repo)
    mentions = repo.query(
        """PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX edukg: <https://w3id.org/edukg/ontology#>
        SELECT ?source ?name WHERE { GRAPH ?a { ?a dcterms:source ?source ; schema:mentions ?e .
          ?e edukg:name ?name } }"""
    ).rows
    assert mentions, "the extractor found no entities at all"
    texts = {s: (Path(s).read_text("utf-8") if Path(s).exists() else None) for s in stored}
    for row in mentions:
        text = texts[str(row["source"])]
        if text is not None:  # each name an article mentions occurs in that article's text
            assert str(row["name"]) in text, (row["source"], row["name"])


def test_one_failing_ingest_does_not_stop_the_batch(repo: Repo, extractor: Extractor, corpus: Corpus) -> None:
    """A store/mapping error on one article is that article's failure; the rest are written."""
    from kg.ingest import IngestOutcome, ingest_extraction

    victim = str(corpus.root / "a.txt")

    def flaky(repo: Repo, article, extraction, **kw) -> IngestOutcome:  # type: ignore[no-untyped-def]
        if article.source == victim:
            raise OSError("disk full")
        return ingest_extraction(repo, article, extraction, **kw)

    summary = Ingester(repo, extractor, ingest=flaky).run([str(corpus.root)])
    assert (victim, f"{victim}: disk full") in summary.failed
    assert summary.ingested == len(corpus.english) - 1
    assert victim not in stored_articles(repo)


class PoisonedExtractor(Extractor):
    """The real extractor, except that a text containing POISON crashes it (as a spaCy bug
    or a worker crash would), taking the whole `extract_many` stream down with it."""

    def __init__(self, base: Extractor) -> None:
        super().__init__(base.nlp)

    def extract(self, article):  # type: ignore[no-untyped-def]
        if "POISON" in article.text:
            raise RuntimeError("model crashed")
        return super().extract(article)

    def extract_many(self, articles, **kw):  # type: ignore[no-untyped-def]
        def guarded():  # type: ignore[no-untyped-def]
            for article in articles:
                if "POISON" in article.text:
                    raise RuntimeError("model crashed")
                yield article

        return super().extract_many(guarded(), **kw)


def test_extractor_crash_costs_one_article(repo: Repo, extractor: Extractor, corpus: Corpus) -> None:
    poison = corpus.root / "poison.txt"
    poison.write_text("Poisoned\n\nThis release says POISON and Northvale University.\n", "utf-8")
    events: list[Event] = []
    summary = Ingester(repo, PoisonedExtractor(extractor), batch_size=2).run(
        [str(corpus.root)], on_event=events.append
    )
    assert (str(poison), f"{poison}: model crashed") in summary.failed
    assert summary.ingested == len(corpus.english)
    assert set(stored_articles(repo)) == set(corpus.english)


def test_extraction_memory_is_released_chunk_by_chunk(tmp_path: Path, extractor: Extractor) -> None:
    """spaCy keeps every new token string in the main process's vocab; a long run or a --watch
    grew with each article. Each chunk of articles now runs in a memory zone: after a run the
    vocab is back where it started, and the graph is the same as without zones."""
    from kg.store import open_repo

    drop = tmp_path / "drop"
    drop.mkdir()
    for i in range(23):  # invented names and numbers: strings spaCy has never seen
        (drop / f"r{i}.txt").write_text(
            f"Release {i}\n\nZorvex{i}qua University and Plintar{i}dor Technologies Co., Ltd. signed a "
            f"strategic cooperation agreement on {i + 1} March. The Kelmorin{i} Joint Laboratory was "
            f"established by Zorvex{i}qua University.\n",
            "utf-8",
        )
    strings = extractor.nlp.vocab.strings
    graphs = []
    for zone in (10, 0):  # chunks of 10 in zones, then the zone-less pass for comparison
        repo = open_repo("memory")
        before = len(strings)
        ingester = Ingester(repo, extractor, n_process=1)
        ingester.zone_articles = zone
        summary = ingester.run([str(drop)])
        assert summary.ingested == 23 and summary.ok, summary
        grown = len(strings) - before
        if zone:
            assert grown == 0, grown
        else:
            assert grown > 23  # what the zones saved: the test's strings are really new ones
        graphs.append(sorted(repo.dump("nquads").decode().splitlines()))
        repo.close()
    assert graphs[0] == graphs[1]
