"""Training the relation scorer from annotated articles (needs scikit-learn: the `test` extra).

`examples` turns one parsed article and its gold into labelled candidates (a candidate is
positive when both its entities match gold entities by name, as the scorer matches them, and
the gold holds the triple); `fit` trains one L2 logistic regression per relation and returns
the weights as a `RelationModel`.

Two hyper-parameters are chosen, never fixed by looking at scored articles: the regularisation
strength C and the probability threshold. `fit` picks both together by grouped cross-validation
*inside* the articles it is given (`choose_hyper`), so when bench/extract_quality.py leaves an
article out, that article sets neither, and the cross-validated figures stay honest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from extract.model import RELATIONS
from extract.relations.candidates import candidates
from extract.relations.model import RelationModel
from extract.rules import run_rules

# inverse regularisation strengths tried, strong to weak (~400 gold triples against thousands
# of features call for strong regularisation; the grid lets the inner folds say how strong)
C_GRID = (0.03, 0.1, 0.3, 1.0)
C = 0.1  # used when there are too few articles to choose one
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


Weights = tuple[dict[str, float], dict[str, dict[str, float]]]  # (biases, weights per relation)


def fit_grid(train: list[Example], cs: tuple[float, ...]) -> dict[float, Weights]:
    """One logistic regression per relation over binary features, for each inverse
    regularisation strength in `cs` (one C for every relation: too few positives per relation
    to choose one each). The features are vectorised once per relation and shared by the
    grid, which is what makes choosing C inside every fold affordable."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    out: dict[float, Weights] = {c: ({}, {}) for c in cs}
    for label in RELATIONS:
        rows = [e for e in train if e.label == label]
        ys = [e.positive for e in rows]
        if not rows or all(ys) or not any(ys):
            continue
        vec = DictVectorizer()
        X = vec.fit_transform([dict.fromkeys(e.features, 1) for e in rows])
        names = vec.get_feature_names_out()
        for c in cs:
            clf = LogisticRegression(C=c, max_iter=2000)
            clf.fit(X, ys)
            bias, weights = out[c]
            bias[label] = round(float(clf.intercept_[0]), 4)
            weights[label] = {
                f: round(float(w), 4)
                for f, w in zip(names, clf.coef_[0], strict=True)
                if abs(w) >= MIN_WEIGHT
            }
    return out


def fit_weights(train: list[Example], c: float = C) -> Weights:
    """(biases, weights) of the per-relation logistic regressions trained with strength `c`."""
    return fit_grid(train, (c,))[c]


def best_threshold(scored: list[tuple[float, bool]]) -> tuple[float, float]:
    """(threshold, F1) of the threshold in THRESHOLDS that maximises F1 over these (probability,
    label) pairs; the first (lowest) wins a tie."""
    n_pos = sum(y for _, y in scored)
    best, best_f1 = THRESHOLD, -1.0
    for t in THRESHOLDS:
        tp = sum(1 for p, y in scored if p >= t and y)
        n = sum(1 for p, _ in scored if p >= t)
        f1 = 2 * tp / (n + n_pos) if n + n_pos else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best, best_f1


def inner_scores(
    articles: list[list[Example]], cs: tuple[float, ...]
) -> dict[float, list[tuple[float, bool]]]:
    """For each C in `cs`, (probability, label) of every instance, each scored by a model
    trained with that C on the other inner folds (articles are dealt round-robin into
    INNER_FOLDS groups, so an article's instances never train the model that scores them)."""
    groups = [articles[g::INNER_FOLDS] for g in range(INNER_FOLDS)]
    scored: dict[float, list[tuple[float, bool]]] = {c: [] for c in cs}
    for g, held in enumerate(groups):
        train = [e for h, group in enumerate(groups) if h != g for art in group for e in art]
        for c, trained in fit_grid(train, cs).items():
            model = RelationModel(*trained)
            scored[c] += [(model.probability(e.label, e.features), e.positive) for art in held for e in art]
    return scored


def choose_hyper(articles: list[list[Example]]) -> tuple[float, float]:
    """(C, threshold) that maximise inner-fold F1 over candidates, chosen together: for each C
    in C_GRID the inner folds give out-of-fold probabilities, and each (C, threshold) pair is
    scored on them. Only the articles given take part, so an article scored later by the outer
    cross-validation never sets either. On a tie the smaller C (stronger regularisation) and
    the lower threshold win, the grid being walked in that order."""
    best: tuple[float, float] = (C, THRESHOLD)
    best_f1 = -1.0
    for c, scored in inner_scores(articles, C_GRID).items():
        t, f1 = best_threshold(scored)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = (c, t), f1
    return best


def fit(articles: list[list[Example]], *, meta: dict[str, Any] | None = None) -> RelationModel:
    """The model trained on these articles' examples, C and threshold chosen among them (the
    fallbacks C and THRESHOLD when there are fewer articles than inner folds). The chosen C is
    recorded in `meta["C"]`, which the shipped JSON already carries."""
    c, threshold = choose_hyper(articles) if len(articles) >= INNER_FOLDS else (C, THRESHOLD)
    bias, weights = fit_weights([e for art in articles for e in art], c)
    info = dict(meta or {})
    info["C"] = c
    return RelationModel(bias=bias, weights=weights, threshold=threshold, meta=info)
