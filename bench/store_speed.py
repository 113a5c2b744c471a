"""Store speed: the shipped example queries on a large synthetic graph, before and after the fact
layer, on edukg's default store (embedded Oxigraph on disk), with rdflib's Memory store as floor.

Generates (streaming) a deterministic dataset shaped like edukg's: one named graph per article
with metadata, entity typings/names, relations and evidence nodes, plus the entities graph with
SKOS labels, types and the name index (kg/name_index.py). It is bulk-loaded into an on-disk
Oxigraph store, the fact layer is built with kg.facts.rebuild_facts, and the store is kept in
--store-dir (if given) so a 10M-quad store is generated and loaded once.

Each query (kg/queries/*.rq) is run with the parameters of a hub (the busiest university,
alliance and university–enterprise pair) and of an ordinary entity (the median university by
partnerships); p50/p95 of --repeats runs after a warm-up. "Old" runs the queries as of
--old-rev (the per-article versions) on the same store. rdflib runs the new queries in a worker
subprocess so a query can be stopped: one that takes longer than --cap seconds is reported as
"> cap".

    python bench/store_speed.py --quads 1000000 --store-dir /tmp/edukg-1m --json /tmp/1m.json
    python bench/store_speed.py --quads 10000000 --store-dir /tmp/edukg-10m --skip-rdflib
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

from kg.examples import NamedQuery, get_query, parse_query_file  # noqa: E402
from kg.name_index import name_key, word_runs  # noqa: E402
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

# (type, how many) in the entity pool: ~50k organisations, the size the store measurements were made at
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
# (query, parameters for a hub, parameters for an ordinary entity); None = no parameters
QUERIES: list[tuple[str, str | None, str | None]] = [
    ("partners_of_university", "hub", "plain"),
    ("members_of_alliance", "alliance", "plain_alliance"),
    ("entity_provenance", "hub_entity", "plain_entity"),
    ("triple_provenance", "pair", "plain_pair"),
    ("top_enterprise_partners", None, None),
    ("joint_institutes", None, None),
]
OLD_REV = "095066b"  # the commit whose kg/queries/*.rq are the "old" (pre-fact-layer) queries

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


def iter_quads(target_quads: int, seed: int, out: dict) -> Iterator[Quad]:
    """Deterministic synthetic edukg quads, about `target_quads` of them, streamed (10M quads do
    not fit comfortably in a list); `out` receives "articles" and "params" once exhausted."""
    rng = Random(seed)
    count = 0
    mentioned: set[tuple[str, int]] = set()
    partners: Counter[int] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    members: Counter[int] = Counter()

    def pick(typ: str) -> int:
        # heavy-tailed popularity: a few hubs, a long tail (like real cooperation news)
        return int(rng.paretovariate(1.1) * 7) % POOL[typ]

    n = 0
    while count + 2 * len(mentioned) < target_quads:
        h = f"{rng.getrandbits(64):016x}"
        g = f"{ARTICLE}{h}"
        full_hash = h + f"{rng.getrandbits(192):048x}"
        article: list[Quad] = []
        add = article.append
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
        count += len(article)
        yield from article
    eg = str(ENTITIES_GRAPH)
    for typ, i in sorted(mentioned):
        e = _iri(typ, i)
        yield (e, str(SKOS.prefLabel), Lit(_label(typ, i)), eg)
        yield (e, str(RDFS.label), Lit(_label(typ, i)), eg)
        # the name index and type kg/labels.py writes next to the labels (kg/name_index.py)
        yield (e, str(RDF.type), str(EDUKG[typ]), eg)
        key = name_key(_label(typ, i))
        yield (e, str(EDUKG.nameKey), Lit(key), eg)
        for run in sorted(word_runs(key)):
            yield (e, str(EDUKG.nameWords), Lit(run), eg)

    hub = partners.most_common(1)[0][0]
    alliance = members.most_common(1)[0][0] if members else 0
    (pu, pe), _ = pairs.most_common(1)[0]
    # an ordinary entity: the median university by partnerships, its most frequent partner
    by_count = sorted(partners, key=lambda u: (partners[u], u))
    plain = by_count[len(by_count) // 2]
    plain_alliance = sorted(members, key=lambda a: (members[a], a))[len(members) // 2] if members else 0
    plain_pair = max((k for k in pairs if k[0] == plain), key=lambda k: (pairs[k], k))
    out["articles"] = n
    out["params"] = {
        "hub": {"university": _label("University", hub)},
        "alliance": {"alliance": _label("Alliance", alliance)},
        "pair": {
            "subject": _label("University", pu),
            "predicate": "partnersWith",
            "object": _label("Enterprise", pe),
        },
        "hub_entity": {"entity": _label("University", hub)},
        "plain": {"university": _label("University", plain)},
        "plain_alliance": {"alliance": _label("Alliance", plain_alliance)},
        "plain_pair": {
            "subject": _label("University", plain),
            "predicate": "partnersWith",
            "object": _label("Enterprise", plain_pair[1]),
        },
        "plain_entity": {"entity": _label("University", plain)},
        "counts": {
            "hub_partnerships": partners[hub],
            "plain_partnerships": partners[plain],
            "busiest_pair_articles": pairs[(pu, pe)],
        },
    }


def generate(target_quads: int, seed: int = 7) -> Dataset:
    """The synthetic dataset as a list (for the rdflib Memory store, which loads from Python)."""
    out: dict = {}
    quads = list(iter_quads(target_quads, seed, out))
    return Dataset(quads=quads, articles=out["articles"], params=out["params"])


def load_queries(rev: str | None) -> dict[str, NamedQuery]:
    """The shipped queries now (rev None) or as of a git revision (the old versions)."""
    if rev is None:
        return {name: get_query(name) for name, _, _ in QUERIES}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, _, _ in QUERIES:
            text = subprocess.run(
                ["git", "show", f"{rev}:kg/queries/{name}.rq"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            path = Path(tmp) / f"{name}.rq"
            path.write_text(text, encoding="utf-8")
            out[name] = parse_query_file(path)
    return out


def rendered_queries(
    params: dict[str, dict[str, str]], queries: dict[str, NamedQuery]
) -> list[tuple[str, str, str]]:
    """(query name, "hub"/"ordinary"/"-", SPARQL text) for every measured case."""
    out = []
    for name, hub, plain in QUERIES:
        q = queries[name]
        if hub is None:
            out.append((name, "-", q.text))
            continue
        out.append((name, "hub", q.render(**params[hub])))
        out.append((name, "ordinary", q.render(**params[plain])))  # type: ignore[index]
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


def open_or_load(target: int, seed: int, store_dir: Path) -> tuple[object, dict]:
    """The on-disk store in `store_dir`, bulk-loaded (and its fact layer built) if new; a loaded
    store is reused, so a 10M-quad store is generated and loaded once."""
    from kg.facts import rebuild_facts
    from kg.store.oxigraph import OxigraphRepo

    meta_path = store_dir / "bench-meta.json"
    if meta_path.exists():
        return OxigraphRepo(store_dir / "store"), json.loads(meta_path.read_text())
    store_dir.mkdir(parents=True, exist_ok=True)
    repo = OxigraphRepo(store_dir / "store")
    out: dict = {}
    t0 = time.perf_counter()
    repo.load_quads(to_ox(iter_quads(target, seed, out)), bulk=True)  # type: ignore[arg-type]
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    facts = rebuild_facts(repo)
    build = time.perf_counter() - t1
    t2 = time.perf_counter()
    repo.store.optimize()
    repo.flush()
    optimize = time.perf_counter() - t2
    meta = {
        "quads": len(repo),
        "articles": out["articles"],
        "params": out["params"],
        "facts": facts,
        "load_s": load,
        "facts_s": build,
        "optimize_s": optimize,
    }
    meta_path.write_text(json.dumps(meta, indent=1))
    return repo, meta


def time_queries(repo: object, queries: list[tuple[str, str, str]], repeats: int) -> dict[str, dict]:
    """p50/p95 of each query through `Repo.query` (results materialised, as the app gets them),
    after one warm-up run."""
    results = {}
    for name, case, text in queries:
        times, rows = [], 0
        for k in range(repeats + 1):
            t = time.perf_counter()
            result = repo.query(text)  # type: ignore[attr-defined]
            if k:
                times.append(time.perf_counter() - t)
            rows = len(result.rows)
        times.sort()
        results[f"{name}/{case}"] = {
            "p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "rows": rows,
        }
        print(
            f"  {name:26} {case:9} p50 {fmt_seconds(results[f'{name}/{case}']['p50'], 0):>10} rows {rows}",
            flush=True,
        )
    return results


# -- rdflib Memory store, in a worker process so a query can be stopped ------------------------
def rdflib_worker(target: int, seed: int) -> None:
    """Build the same dataset in an rdflib Dataset (Memory store, union default graph) and
    answer query texts sent as JSON lines on stdin."""
    from rdflib import Dataset as RDataset
    from rdflib import Literal, URIRef

    data = generate(target, seed)
    # the fact layer, computed by kg.facts on a throw-away in-memory Oxigraph store
    import pyoxigraph as ox

    from kg.facts import rebuild_facts
    from kg.store.oxigraph import OxigraphRepo, to_rdflib
    from ontology.namespace import FACTS_GRAPH

    helper = OxigraphRepo(None)
    helper.load_quads(to_ox(data.quads), bulk=True)  # type: ignore[arg-type]
    rebuild_facts(helper)
    for q in helper.store.quads_for_pattern(None, None, None, ox.NamedNode(str(FACTS_GRAPH))):
        o = to_rdflib(q.object)
        lit = Lit(str(o), str(o.datatype) if isinstance(o, Literal) and o.datatype else None)
        data.quads.append(
            (q.subject.value, q.predicate.value, lit if isinstance(o, Literal) else str(o), str(FACTS_GRAPH))
        )
    helper.close()
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


def bench_rdflib(target: int, seed: int, queries: list[tuple[str, str, str]], cap: float) -> dict:
    worker: Worker | None = Worker(target, seed, build_cap=1800)
    assert worker is not None
    out: dict = {"load": worker.load, "quads": worker.quads, "queries": {}}
    for k, (name, case, text) in enumerate(queries):
        if worker is None:
            worker = Worker(target, seed, build_cap=1800)
        answer = worker.run(text, cap)
        key = f"{name}/{case}"
        if answer is None:
            out["queries"][key] = {"seconds": None, "rows": None}
            worker.kill()
            worker = None if k + 1 < len(queries) else worker
        else:
            out["queries"][key] = answer
        print(f"  rdflib {key}: {fmt_seconds(out['queries'][key]['seconds'], cap)}", flush=True)
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
    parser.add_argument("--store-dir", type=Path, help="keep the loaded on-disk store here and reuse it")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds an rdflib query may run")
    parser.add_argument("--repeats", type=int, default=20, help="runs per new query (p50/p95)")
    parser.add_argument("--old-repeats", type=int, default=3, help="runs per old query")
    parser.add_argument("--old-rev", default=OLD_REV, help="git revision of the old queries")
    parser.add_argument("--skip-old", action="store_true")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--rdflib-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rdflib_worker:
        rdflib_worker(args.quads, args.seed)
        return

    tmp = None
    store_dir = args.store_dir
    if store_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="edukg-bench-"))
        store_dir = tmp
    try:
        t = time.perf_counter()
        repo, meta = open_or_load(args.quads, args.seed, store_dir)
        print(
            f"store: {meta['quads']:,} quads, {meta['articles']:,} articles, {meta['facts']:,} facts; "
            f"bulk load {meta['load_s']:.1f} s, fact layer {meta['facts_s']:.1f} s, optimize "
            f"{meta['optimize_s']:.1f} s (opened in {time.perf_counter() - t:.1f} s)",
            flush=True,
        )
        print(f"parameters: {json.dumps(meta['params'])}", flush=True)
        new_q = rendered_queries(meta["params"], load_queries(None))
        print("new queries:", flush=True)
        new = time_queries(repo, new_q, args.repeats)
        old: dict[str, dict] = {}
        if not args.skip_old:
            print(f"old queries ({args.old_rev}):", flush=True)
            old = time_queries(
                repo, rendered_queries(meta["params"], load_queries(args.old_rev)), args.old_repeats
            )
        repo.close()  # type: ignore[attr-defined]
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    rdf = None
    if not args.skip_rdflib:
        rdf = bench_rdflib(args.quads, args.seed, new_q, args.cap)

    print()
    print(
        f"{meta['quads']:,} quads, Oxigraph on disk; new: p50/p95 of {args.repeats} runs; old: of {args.old_repeats}"
    )
    print(
        f"{'query':26} {'case':9} {'old p50':>10} {'old p95':>10} {'new p50':>10} {'new p95':>10} "
        f"{'old/new':>8} {'rdflib new':>11}  rows old/new"
    )
    for name, case, _ in new_q:
        key = f"{name}/{case}"
        n, o = new[key], old.get(key)
        r = rdf["queries"][key] if rdf else None
        ratio = f"{o['p50'] / n['p50']:,.0f}×" if o else "-"
        print(
            f"{name:26} {case:9} {fmt_seconds(o['p50'], 0) if o else '-':>10} "
            f"{fmt_seconds(o['p95'], 0) if o else '-':>10} {fmt_seconds(n['p50'], 0):>10} "
            f"{fmt_seconds(n['p95'], 0):>10} {ratio:>8} {fmt_seconds(r['seconds'], args.cap) if r else '-':>11}  "
            f"{o['rows'] if o else '-'}/{n['rows']}"
        )
    print(f"(machine: {os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "new": new, "old": old, "rdflib": rdf}, indent=1))


if __name__ == "__main__":
    main()
