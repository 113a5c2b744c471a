"""Training the relation scorer from annotated articles (needs scikit-learn: the `test` extra).

`examples` turns one parsed article and its gold into labelled candidates (a candidate is
positive when both its entities match gold entities by name, as the scorer matches them, and
the gold holds the triple); `fit` trains one L2 logistic regression per relation and returns
the weights as a `RelationModel`. The hyper-parameters are fixed here, not chosen by looking at
scores, so cross-validated figures stay honest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from extract.model import RELATIONS
from extract.relations.candidates import candidates
from extract.relations.model import RelationModel
from extract.rules import run_rules

C = 0.1  # inverse regularisation strength (strong: ~400 gold triples, thousands of features)
THRESHOLD = 0.5  # used when there are too few articles to choose one
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
INNER_FOLDS = 4
MIN_WEIGHT = 1e-3  # weights smaller than this are left out of the shipped table


@dataclass
class Example:
    label: str
    features: set[str]
    positive: bool


def triple_key(s: str, p: str, o: str) -> tuple[str, str, str]:
    return (min(s, o), p, max(s, o)) if p == "partnersWith" else (s, p, o)


def evidence_spans(text: str, gold: dict[str, Any]) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    """Where each gold triple's evidence stands in the article (it is an exact substring)."""
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for t in gold["triples"]:
        key = triple_key(t["s"], t["p"], t["o"])
        ev = t.get("evidence") or ""
        at = text.find(ev) if ev else -1
        while at >= 0:
            spans.setdefault(key, []).append((at, at + len(ev)))
            at = text.find(ev, at + 1)
        spans.setdefault(key, [])
    return spans


def examples(doc: Doc, gold: dict[str, Any], gold_ids: dict[int, str]) -> list[Example]:
    """Labelled instances of one article; `gold_ids` maps id(cluster) → gold entity id.

    An instance is positive when its candidate's triple is in the gold and the instance's text
    overlaps the gold evidence (any instance counts if the evidence cannot be found), so a pair
    that also meets in an unrelated sentence does not teach that sentence as evidence.
    """
    truth = evidence_spans(doc.text, gold)
    out = []
    for cand in candidates(doc, run_rules(doc, doc._.edukg_entities or [])):
        s, o = gold_ids.get(id(cand.head)), gold_ids.get(id(cand.tail))
        key = triple_key(s, cand.label, o) if s is not None and o is not None else None
        spans = truth.get(key) if key is not None else None
        for inst in cand.instances:
            positive = spans is not None and (
                not spans or any(a < inst.end and inst.start < b for a, b in spans)
            )
            out.append(Example(cand.label, inst.features | cand.shared, positive))
    return out


def fit_weights(train: list[Example]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """One logistic regression per relation over binary features: (biases, weights)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    bias: dict[str, float] = {}
    weights: dict[str, dict[str, float]] = {}
    for label in RELATIONS:
        rows = [e for e in train if e.label == label]
        ys = [e.positive for e in rows]
        if not rows or all(ys) or not any(ys):
            continue
        vec = DictVectorizer()
        X = vec.fit_transform([dict.fromkeys(e.features, 1) for e in rows])
        clf = LogisticRegression(C=C, max_iter=2000)
        clf.fit(X, ys)
        bias[label] = round(float(clf.intercept_[0]), 4)
        weights[label] = {
            f: round(float(w), 4)
            for f, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
            if abs(w) >= MIN_WEIGHT
        }
    return bias, weights


def choose_threshold(articles: list[list[Example]]) -> float:
    """The probability threshold that maximises F1 over candidates, estimated by grouped
    cross-validation *inside* the training articles (so the scored article never sets it)."""
    groups = [articles[g::INNER_FOLDS] for g in range(INNER_FOLDS)]
    scored: list[tuple[float, bool]] = []
    for g, held in enumerate(groups):
        train = [e for h, group in enumerate(groups) if h != g for art in group for e in art]
        model = RelationModel(*fit_weights(train))
        scored += [(model.probability(e.label, e.features), e.positive) for art in held for e in art]
    n_pos = sum(y for _, y in scored)
    best, best_f1 = THRESHOLD, -1.0
    for t in THRESHOLDS:
        tp = sum(1 for p, y in scored if p >= t and y)
        n = sum(1 for p, _ in scored if p >= t)
        f1 = 2 * tp / (n + n_pos) if n + n_pos else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best


def fit(articles: list[list[Example]], *, meta: dict[str, Any] | None = None) -> RelationModel:
    """The model trained on these articles' examples, its threshold chosen among them."""
    bias, weights = fit_weights([e for art in articles for e in art])
    threshold = choose_threshold(articles) if len(articles) >= INNER_FOLDS else THRESHOLD
    return RelationModel(bias=bias, weights=weights, threshold=threshold, meta=dict(meta or {}))
