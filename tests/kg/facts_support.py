"""Shared by the fact-layer tests (embedded and remote): random article sequences over a small
pool of entities (so articles share triples), and the fact layer recomputed in Python from the
article graphs, independently of kg/facts.py's SPARQL."""

from __future__ import annotations

import random
from collections import defaultdict

from rdflib import Graph, Literal, URIRef

from extract.model import Article, Entity, Extraction, Relation
from kg.facts import INVERSE, canonical, fact_iri
from kg.ingest import ingest_extraction, remove_article
from kg.resolve import Resolver
from kg.store.base import Repo
from ontology.namespace import EDUKG, FACTS_GRAPH, PROV, RDF, SPARQL_PREFIXES

POOL = [
    ("Arvel University", "University"),
    ("Borel University of Technology", "University"),
    ("Cedar Normal University", "University"),
    ("Dune Motors", "Enterprise"),
    ("Elm Software", "Enterprise"),
    ("Fjord Robotics", "Enterprise"),
    ("Granite Engineering Alliance", "Alliance"),
    ("Harbour Energy Alliance", "Alliance"),
]
KINDS = {  # predicate → (subject types, object types)
    "partnersWith": ({"University", "Enterprise"}, {"University", "Enterprise"}),
    "memberOf": ({"University", "Enterprise"}, {"Alliance"}),
}


def random_article(rng: random.Random, source: str, version: int) -> tuple[Article, Extraction]:
    """An article naming a few pool entities with 1-4 relations (either direction for
    partnersWith), a random confidence and, mostly, a date."""
    sentences: list[str] = []
    relations: list[tuple[str, str, str, str]] = []
    used: dict[str, Entity] = {}
    for _ in range(rng.randint(1, 4)):
        pred = rng.choice(sorted(KINDS))
        subj_types, obj_types = KINDS[pred]
        s = rng.choice([e for e in POOL if e[1] in subj_types])
        o = rng.choice([e for e in POOL if e[1] in obj_types and e != s])
        for name, typ in (s, o):
            used.setdefault(name, Entity(id=f"e{len(used) + 1}", name=name, type=typ))
        sentence = f"{s[0]} and {o[0]} ({pred}, sentence {len(sentences)}, v{version})."
        sentences.append(sentence)
        relations.append((used[s[0]].id, pred, used[o[0]].id, sentence))
    text = f"News from {source}, version {version}. " + " ".join(sentences)
    rels = []
    for subj, pred, obj, sentence in relations:
        start = text.index(sentence)
        conf = rng.choice([0.55, 0.7, 0.85, 0.95])
        rels.append(Relation(subj, pred, obj, sentence, start, start + len(sentence), conf))
    date = rng.choice([None, "2023-01-05", "2024-03-10", "2024-11-30", "2025-06-01"])
    article = Article(text=text, source=source, title=f"{source} v{version}", date=date)
    return article, Extraction(article=source, entities=list(used.values()), relations=rels)


def random_sequence(repo: Repo, rng: random.Random, steps: int) -> dict[str, int]:
    """Ingest new articles, replace (same source, new text), re-ingest unchanged, and remove, at
    random; returns how often each happened."""
    resolver = Resolver.from_repo(repo)
    live: dict[str, int] = {}  # source → version
    done: dict[str, int] = defaultdict(int)
    for step in range(steps):
        action = rng.random()
        if live and action < 0.2:
            source = rng.choice(sorted(live))
            remove_article(repo, source, resolver=resolver)
            del live[source]
            done["removed"] += 1
        elif live and action < 0.45:
            source = rng.choice(sorted(live))
            live[source] += 1
            outcome = ingest_extraction(repo, *random_article(rng, source, live[source]), resolver=resolver)
            done[outcome.status] += 1
        else:
            source = f"news/{step:03d}.txt"
            live[source] = 0
            outcome = ingest_extraction(repo, *random_article(rng, source, 0), resolver=resolver)
            done[outcome.status] += 1
    return dict(done)


def stored_facts(repo: Repo) -> set[tuple]:
    rows = repo.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?s ?p ?o }} }}").rows
    return {(r["s"], r["p"], r["o"]) for r in rows}


def recomputed_facts(repo: Repo) -> set[tuple]:
    """The fact layer as it should be, computed in Python from the evidence in article graphs."""
    rows = repo.query(
        SPARQL_PREFIXES
        + "SELECT ?a ?ev ?s ?p ?o ?conf ?date WHERE { GRAPH ?a { ?ev a edukg:Evidence ; rdf:subject ?s ; "
        "rdf:predicate ?p ; rdf:object ?o ; edukg:confidence ?conf . OPTIONAL { ?a dcterms:date ?date } } }"
    ).rows
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[canonical(str(row["s"]), str(row["p"]), str(row["o"]))].append(row)
    graph = Graph()
    for key, evidence in groups.items():
        s, p, o = (URIRef(t) for t in key)
        f = fact_iri(key)
        graph.add((s, p, o))
        if key[1] in INVERSE:
            graph.add((o, URIRef(INVERSE[key[1]]), s))
        graph.add((f, RDF.type, EDUKG.Fact))
        graph.add((f, RDF.subject, s))
        graph.add((f, RDF.predicate, p))
        graph.add((f, RDF.object, o))
        graph.add((f, EDUKG.support, Literal(len({str(e["a"]) for e in evidence}))))
        graph.add((f, EDUKG.bestConfidence, max((e["conf"] for e in evidence), key=lambda c: c.toPython())))
        dates = sorted({str(e["date"]) for e in evidence if "date" in e})
        if dates:
            dated = {str(e["date"]): e["date"] for e in evidence if "date" in e}
            graph.add((f, EDUKG.firstDate, dated[dates[0]]))
            graph.add((f, EDUKG.lastDate, dated[dates[-1]]))
        for e in evidence:
            graph.add((f, EDUKG.evidence, e["ev"]))
            graph.add((f, PROV.wasDerivedFrom, e["a"]))
    return set(graph)
