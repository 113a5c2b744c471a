"""Store speed: edukg's default store (embedded Oxigraph on disk) vs rdflib's Memory store.

Builds a synthetic dataset of about 1,000,000 quads shaped like edukg's (one named graph per
article with metadata, entity typings/names, relations and evidence nodes, plus the shared
entities graph with SKOS labels), loads it into each store and times the shipped example queries
(kg/queries/*.rq, rendered with parameters that hit real hubs of the synthetic graph).

rdflib runs in a worker subprocess so a query can be stopped: one that takes longer than --cap
seconds is killed and reported as "> cap" (the worker is then rebuilt for the next query).

    python bench/store_speed.py                    # 1M quads, cap 60 s
    python bench/store_speed.py --quads 100000 --cap 20
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.queries import get_query  # noqa: E402
from ontology.namespace import (  # noqa: E402
    ARTICLE,
    DCTERMS,
    EDUKG,
    ENTITIES_GRAPH,
    ID,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
)

# (type, how many) in the entity pool: ~50k organisations as in FACTS.md
POOL = {
    "University": 4000,
    "Enterprise": 20000,
    "Alliance": 600,
    "Institute": 15000,
    "GovernmentBody": 800,
    "Person": 8000,
    "Place": 600,
    "Program": 1000,
}
QUERIES = [
    ("partners_of_university", "hub"),
    ("members_of_alliance", "alliance"),
    ("top_enterprise_partners", None),
    ("triple_provenance", "pair"),
    ("joint_institutes", None),
]

Quad = tuple[str, str, object, str]  # subject IRI, predicate IRI, object (IRI str | Lit), graph IRI


@dataclass(frozen=True)
class Lit:
    value: str
    datatype: str | None = None


@dataclass
class Dataset:
    quads: list[Quad]
    articles: int
    params: dict[str, dict[str, str]]


def _label(typ: str, i: int) -> str:
    return f"{typ} N{i:05d}"


def _iri(typ: str, i: int) -> str:
    return f"{ID}{typ.lower()}/{typ.lower()}-n{i:05d}"


def generate(target_quads: int, seed: int = 7) -> Dataset:
    """Deterministic synthetic edukg dataset of about `target_quads` quads."""
    rng = Random(seed)
    quads: list[Quad] = []
    mentioned: set[tuple[str, int]] = set()
    partners: Counter[int] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    members: Counter[int] = Counter()

    def pick(typ: str) -> int:
        # heavy-tailed popularity: a few hubs, a long tail (like real cooperation news)
        return int(rng.paretovariate(1.1) * 7) % POOL[typ]

    n = 0
    while len(quads) + 2 * len(mentioned) < target_quads:
        h = f"{rng.getrandbits(64):016x}"
        g = f"{ARTICLE}{h}"
        full_hash = h + f"{rng.getrandbits(192):048x}"
        add = quads.append
        add((g, str(RDF.type), str(EDUKG.Article), g))
        add((g, str(EDUKG.contentHash), Lit(full_hash), g))
        add((g, str(DCTERMS.source), Lit(f"corpus/{n:06d}.txt"), g))
        add((g, str(DCTERMS.title), Lit(f"Cooperation news {n}"), g))
        add(
            (
                g,
                str(DCTERMS.date),
                Lit(f"20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", str(XSD.date)),
                g,
            )
        )
        add((g, str(SCHEMA.url), f"https://news.example.org/{n}", g))
        add((g, str(DCTERMS.language), Lit("en"), g))

        uni, ent = pick("University"), pick("Enterprise")
        inst, place, person = pick("Institute"), pick("Place"), pick("Person")
        ents = [
            ("University", uni),
            ("Enterprise", ent),
            ("Institute", inst),
            ("Place", place),
            ("Person", person),
        ]
        rels = [
            (("University", uni), "partnersWith", ("Enterprise", ent)),
            (("Institute", inst), "establishedBy", ("University", uni)),
            (("Institute", inst), "establishedBy", ("Enterprise", ent)),
            (("Institute", inst), "locatedIn", ("Place", place)),
            (("Person", person), "leads", ("University", uni)),
        ]
        partners[uni] += 1
        pairs[(uni, ent)] += 1
        if rng.random() < 0.3:
            alliance = pick("Alliance")
            ents.append(("Alliance", alliance))
            rels.append((("University", uni), "memberOf", ("Alliance", alliance)))
            members[alliance] += 1
        if rng.random() < 0.4:
            uni2 = pick("University")
            if uni2 != uni:
                ents.append(("University", uni2))
                rels.append((("University", uni2), "partnersWith", ("Enterprise", ent)))
                partners[uni2] += 1
                pairs[(uni2, ent)] += 1
        for typ, i in ents:
            e = _iri(typ, i)
            add((e, str(RDF.type), str(EDUKG[typ]), g))
            add((e, str(EDUKG.name), Lit(_label(typ, i)), g))
            add((g, str(SCHEMA.mentions), e, g))
            mentioned.add((typ, i))
        for k, ((st, si), pred, (ot, oi)) in enumerate(rels, start=1):
            s, o, p = _iri(st, si), _iri(ot, oi), str(EDUKG[pred])
            add((s, p, o, g))
            if pred == "partnersWith":
                add((o, p, s, g))
            elif pred == "memberOf":
                add((o, str(EDUKG.hasMember), s, g))
            ev = f"{g}/evidence/{k}"
            start = rng.randint(0, 3000)
            add((ev, str(RDF.type), str(EDUKG.Evidence), g))
            add((ev, str(RDF.subject), s, g))
            add((ev, str(RDF.predicate), p, g))
            add((ev, str(RDF.object), o, g))
            add(
                (
                    ev,
                    str(EDUKG.sentence),
                    Lit(f"{_label(st, si)} and {_label(ot, oi)}: {pred} (sentence {k})."),
                    g,
                )
            )
            add((ev, str(EDUKG.start), Lit(str(start), str(XSD.integer)), g))
            add((ev, str(EDUKG.end), Lit(str(start + 120), str(XSD.integer)), g))
            add((ev, str(EDUKG.confidence), Lit(f"{rng.uniform(0.5, 1):.2f}", str(XSD.double)), g))
            add((ev, str(PROV.wasDerivedFrom), g, g))
        n += 1
    eg = str(ENTITIES_GRAPH)
    for typ, i in sorted(mentioned):
        e = _iri(typ, i)
        quads.append((e, str(SKOS.prefLabel), Lit(_label(typ, i)), eg))
        quads.append((e, str(RDFS.label), Lit(_label(typ, i)), eg))

    hub = partners.most_common(1)[0][0]
    alliance = members.most_common(1)[0][0] if members else 0
    (pu, pe), _ = pairs.most_common(1)[0]
    params = {
        "hub": {"university": _label("University", hub)},
        "alliance": {"alliance": _label("Alliance", alliance)},
        "pair": {
            "subject": _label("University", pu),
            "predicate": "partnersWith",
            "object": _label("Enterprise", pe),
        },
    }
    return Dataset(quads=quads, articles=n, params=params)


def rendered_queries(params: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, key in QUERIES:
        q = get_query(name)
        out.append((name, q.render(**params[key]) if key else q.text))
    return out


# -- pyoxigraph (edukg's store, through the Repo interface the app uses) ----------------------
def to_ox(quads: list[Quad]) -> Iterator[object]:
    import pyoxigraph as ox

    cache: dict[str, object] = {}

    def node(v: str) -> object:
        t = cache.get(v)
        if t is None:
            t = cache[v] = ox.NamedNode(v)
        return t

    for s, p, o, g in quads:
        if isinstance(o, Lit):
            obj = (
                ox.Literal(o.value, datatype=ox.NamedNode(o.datatype)) if o.datatype else ox.Literal(o.value)
            )
        else:
            obj = node(o)  # type: ignore[arg-type]
        yield ox.Quad(node(s), node(p), obj, node(g))


def bench_oxigraph(data: Dataset, queries: list[tuple[str, str]], *, on_disk: bool, repeats: int) -> dict:
    from kg.store.oxigraph import OxigraphRepo

    tmp = Path(tempfile.mkdtemp(prefix="edukg-bench-")) if on_disk else None
    try:
        repo = OxigraphRepo(tmp / "store" if tmp else None)
        t0 = time.perf_counter()
        repo.load_quads(to_ox(data.quads), bulk=True)
        if tmp:
            repo.store.optimize()
        load = time.perf_counter() - t0
        results = {}
        for name, text in queries:
            times, rows = [], 0
            for _ in range(repeats):
                t = time.perf_counter()
                result = repo.query(text)
                times.append(time.perf_counter() - t)
                rows = len(result.rows)
            results[name] = {"seconds": statistics.median(times), "rows": rows}
        quads = len(repo)
        repo.close()
        return {"load": load, "quads": quads, "queries": results}
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


# -- rdflib Memory store, in a worker process so a query can be stopped ------------------------
def rdflib_worker(target: int, seed: int) -> None:
    """Build the same dataset in an rdflib Dataset (Memory store, union default graph) and
    answer query texts sent as JSON lines on stdin."""
    from rdflib import Dataset as RDataset
    from rdflib import Literal, URIRef

    data = generate(target, seed)
    t0 = time.perf_counter()
    ds = RDataset(default_union=True)
    cache: dict[str, URIRef] = {}

    def node(v: str) -> URIRef:
        t = cache.get(v)
        if t is None:
            t = cache[v] = URIRef(v)
        return t

    graphs: dict[str, object] = {}
    for s, p, o, g in data.quads:
        obj = (
            Literal(o.value, datatype=URIRef(o.datatype) if o.datatype else None)
            if isinstance(o, Lit)
            else node(o)
        )
        graph = graphs.get(g)
        if graph is None:
            graph = graphs[g] = ds.graph(node(g))
        ds.store.add((node(s), node(p), obj), context=graph)  # type: ignore[arg-type]
    load = time.perf_counter() - t0
    print(json.dumps({"ready": load, "quads": len(data.quads)}), flush=True)
    for line in sys.stdin:
        text = json.loads(line)["query"]
        t = time.perf_counter()
        rows = len(list(ds.query(text)))
        print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows}), flush=True)


class Worker:
    def __init__(self, target: int, seed: int, build_cap: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--rdflib-worker", "--quads", str(target), "--seed", str(seed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = self._read(build_cap)
        if hello is None:
            self.kill()
            raise RuntimeError("rdflib worker did not finish loading in time")
        self.load, self.quads = hello["ready"], hello["quads"]

    def _read(self, timeout: float) -> dict | None:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def run(self, text: str, cap: float) -> dict | None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"query": text}) + "\n")
        self.proc.stdin.flush()
        return self._read(cap)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def bench_rdflib(target: int, seed: int, queries: list[tuple[str, str]], cap: float) -> dict:
    worker = Worker(target, seed, build_cap=1800)
    out = {"load": worker.load, "quads": worker.quads, "queries": {}}
    for k, (name, text) in enumerate(queries):
        if worker is None:
            worker = Worker(target, seed, build_cap=1800)
        answer = worker.run(text, cap)
        if answer is None:
            out["queries"][name] = {"seconds": None, "rows": None}
            worker.kill()
            worker = None if k + 1 < len(queries) else worker
        else:
            out["queries"][name] = answer
    if worker is not None:
        worker.kill()
    return out


def fmt_seconds(value: float | None, cap: float) -> str:
    if value is None:
        return f"> {cap:g} s"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds an rdflib query may run")
    parser.add_argument("--repeats", type=int, default=5, help="runs per query on Oxigraph (median)")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--rdflib-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rdflib_worker:
        rdflib_worker(args.quads, args.seed)
        return

    t = time.perf_counter()
    data = generate(args.quads, args.seed)
    print(
        f"generated {len(data.quads):,} quads, {data.articles:,} articles in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    queries = rendered_queries(data.params)
    disk = bench_oxigraph(data, queries, on_disk=True, repeats=args.repeats)
    print(f"oxigraph on disk: loaded in {disk['load']:.1f} s", flush=True)
    memory = bench_oxigraph(data, queries, on_disk=False, repeats=args.repeats)
    print(f"oxigraph in memory: loaded in {memory['load']:.1f} s", flush=True)
    quads_total = len(data.quads)
    del data
    rdf = None
    if not args.skip_rdflib:
        rdf = bench_rdflib(args.quads, args.seed, queries, args.cap)
        print(f"rdflib Memory: loaded in {rdf['load']:.1f} s", flush=True)

    print()
    print(
        f"{quads_total:,} quads; Oxigraph median of {args.repeats} runs; rdflib one run, cap {args.cap:g} s"
    )
    print(
        f"{'query':28} {'oxigraph disk':>14} {'oxigraph mem':>13} {'rdflib Memory':>14} {'ratio (rdflib/disk)':>20} rows"
    )
    for name, _ in queries:
        d, m = disk["queries"][name], memory["queries"][name]
        r = rdf["queries"][name] if rdf else {"seconds": None, "rows": None}
        if rdf is None:
            ratio = "-"
        elif r["seconds"] is None:
            ratio = f"> {args.cap / d['seconds']:,.0f}×"
        else:
            ratio = f"{r['seconds'] / d['seconds']:,.0f}×"
        rows = f"{d['rows']}" + ("" if r["rows"] in (None, d["rows"]) else f" (rdflib {r['rows']})")
        print(
            f"{name:28} {fmt_seconds(d['seconds'], args.cap):>14} {fmt_seconds(m['seconds'], args.cap):>13} "
            f"{fmt_seconds(r['seconds'], args.cap) if rdf else '-':>14} {ratio:>20} {rows}"
        )
    load_line = f"load: oxigraph disk (bulk) {disk['load']:.1f} s, memory {memory['load']:.1f} s"
    if rdf:
        load_line += f", rdflib Memory {rdf['load']:.1f} s ({rdf['load'] / disk['load']:.1f}× disk)"
    print(load_line)
    print(f"(machine: {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
