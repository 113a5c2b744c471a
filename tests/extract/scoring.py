"""Project copy of ../shared/tools/eval_extraction.py (kept in step by tests/extract/test_quality.py).

Score extracted entities and relations against gold annotations.

Usage:
    eval_extraction.py PREDICTIONS.jsonl GOLD_DIR [--verbose]

PREDICTIONS.jsonl holds one JSON object per article, as printed by `edukg extract --json`:
    {"article": "<file name or path>",
     "entities": [{"id": "e1", "name": "Xi'an University of Technology", "type": "University",
                   "aliases": ["XUT"]}, ...],
     "relations": [{"subject": "e1", "predicate": "partnersWith", "object": "e2",
                    "sentence": "...", "confidence": 0.9}, ...]}
GOLD_DIR holds one <article base name>.json per article (see ../corpus/README.md).

A predicted entity matches a gold entity when one of its names equals one of the gold names after
normalisation (case, a leading "the", punctuation, white space); specific names are tried before
generic ones ("the university", "our college"). partnersWith is compared as an unordered pair.
Prints per-relation and overall precision, recall and F1; the last line is
    relations F1 <f1> (P <p> R <r>) entities F1 <f1>
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

RELATIONS = ["partnersWith", "memberOf", "establishedBy", "partOf", "locatedIn", "leads"]
ORG_TYPES = {"University", "Enterprise", "Alliance", "GovernmentBody", "Institute"}
GENERIC = re.compile(
    r"^(our|the|this|that) (school|college|university|institute|alliance|company|"
    r"center|centre|academy|committee|enterprise|group)s?$"
)


def norm(name: str) -> str:
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"[\"“”()\[\],.;:]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^the ", "", s)
    return s


def is_generic(name: str) -> bool:
    return bool(GENERIC.match(name.lower().strip()))


def article_key(name: str) -> str:
    return Path(name).stem


def load_gold(gold_dir: Path) -> dict:
    return {article_key(p.name): json.loads(p.read_text()) for p in sorted(gold_dir.glob("*.json"))}


def gold_index(gold: dict):
    specific, generic = {}, {}
    for ent in gold["entities"]:
        for n in ent["names"]:
            (generic if is_generic(n) else specific).setdefault(norm(n), ent["id"])
    return specific, generic


def map_entity(ent: dict, specific: dict, generic: dict):
    names = [ent.get("name", "")] + list(ent.get("aliases") or [])
    for table in (specific, generic):
        for n in names:
            if n and norm(n) in table:
                return table[norm(n)]
    return None


def triple_key(s, p, o):
    if p == "partnersWith":
        a, b = sorted([s, o])
        return (a, p, b)
    return (s, p, o)


def score(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(preds: dict, golds: dict, verbose: bool = False) -> dict:
    """Scores as numbers: {"relations": (P, R, F1), "entities": F1, "per_relation": {...},
    "counts": (tp, npred, ngold) per relation}; with `verbose`, prints missed/spurious triples."""
    tp, npred, ngold = Counter(), Counter(), Counter()
    etp = enpred = engold = 0
    for key, gold in golds.items():
        specific, generic = gold_index(gold)
        pred = preds.get(key, {"entities": [], "relations": []})
        ids = {e["id"]: map_entity(e, specific, generic) for e in pred.get("entities", [])}
        gold_t = {triple_key(t["s"], t["p"], t["o"]) for t in gold["triples"] if t["p"] in RELATIONS}
        pred_t = set()
        for r in pred.get("relations", []):
            if r.get("predicate") not in RELATIONS:
                continue
            s, o = ids.get(r.get("subject")), ids.get(r.get("object"))
            pred_t.add(
                triple_key(s or "?" + str(r.get("subject")), r["predicate"], o or "?" + str(r.get("object")))
            )
        for p in RELATIONS:
            g = {t for t in gold_t if t[1] == p}
            q = {t for t in pred_t if t[1] == p}
            tp[p] += len(g & q)
            npred[p] += len(q)
            ngold[p] += len(g)
        gold_e = {(e["id"], e["type"]) for e in gold["entities"] if e["type"] in ORG_TYPES}
        pred_e = {
            (ids[e["id"]] or "?" + e["id"], e.get("type"))
            for e in pred.get("entities", [])
            if e.get("type") in ORG_TYPES
        }
        etp += len(gold_e & pred_e)
        enpred += len(pred_e)
        engold += len(gold_e)
        if verbose:
            print(f"== {key}")
            for t in sorted(gold_t - pred_t):
                print("  missed   ", t)
            for t in sorted(pred_t - gold_t):
                print("  spurious ", t)
    return {
        "relations": score(sum(tp.values()), sum(npred.values()), sum(ngold.values())),
        "entities": score(etp, enpred, engold)[2],
        "per_relation": {p: score(tp[p], npred[p], ngold[p]) for p in RELATIONS},
        "counts": {p: (tp[p], npred[p], ngold[p]) for p in RELATIONS},
    }


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    golds = load_gold(Path(argv[2]))
    preds = {}
    for line in Path(argv[1]).read_text().splitlines():
        if line.strip():
            obj = json.loads(line)
            preds[article_key(obj["article"])] = obj
    missing = [k for k in golds if k not in preds]
    result = evaluate(preds, golds, verbose="--verbose" in argv)
    for p in RELATIONS:
        pp, rr, ff = result["per_relation"][p]
        t, n, g = result["counts"][p]
        print(f"{p:14s} P {pp:.3f} R {rr:.3f} F1 {ff:.3f}  (tp {t}, pred {n}, gold {g})")
    if missing:
        print("articles without predictions:", ", ".join(missing))
    P, R, F = result["relations"]
    print(f"relations F1 {F:.3f} (P {P:.3f} R {R:.3f}) entities F1 {result['entities']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
