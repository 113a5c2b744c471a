"""Choosing the relation scorer's hyper-parameters (extract/relations/training.py) on made-up
labelled instances: no model, no corpus. What matters is that C and the threshold come out of
the inner folds of the articles given, that ties go to the stronger regularisation, and that the
shipped file format does not change."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("sklearn")

from extract.relations import training  # noqa: E402
from extract.relations.model import RelationModel  # noqa: E402
from extract.relations.training import Example  # noqa: E402


def synthetic_articles(n: int, seed: int = 7) -> list[list[Example]]:
    """`n` articles of memberOf instances: "cue" mostly marks a positive, noise words do not."""
    rng = random.Random(seed)
    arts = []
    for _ in range(n):
        art = []
        for _ in range(30):
            positive = rng.random() < 0.3
            feats = {f"noise={rng.randrange(40)}", f"noise={rng.randrange(40)}"}
            if positive == (rng.random() < 0.9):
                feats.add("cue")
            art.append(Example("memberOf", feats, positive))
        arts.append(art)
    return arts


def test_fit_chooses_c_and_threshold_from_the_grids_and_keeps_the_format() -> None:
    model = training.fit(synthetic_articles(8), meta={"articles": 8})
    assert model.meta["C"] in training.C_GRID
    assert model.threshold in training.THRESHOLDS
    assert model.meta["articles"] == 8
    data = model.to_json()
    assert set(data) == {"format", "threshold", "meta", "bias", "weights"}
    again = RelationModel.from_json(data)
    assert again.probability("memberOf", {"cue"}) > again.probability("memberOf", {"noise=1"})


def test_too_few_articles_fall_back_to_the_defaults() -> None:
    model = training.fit(synthetic_articles(training.INNER_FOLDS - 1))
    assert (model.meta["C"], model.threshold) == (training.C, training.THRESHOLD)


def test_c_and_threshold_are_chosen_together_by_inner_f1(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair with the best inner-fold F1 wins; between equal F1s the smaller C."""
    perfect = [(0.9, True), (0.1, False)] * 5
    blurred = [(0.4, True), (0.45, False)] * 5  # only a threshold between them separates
    scores = {0.03: blurred, 0.1: blurred, 0.3: perfect, 1.0: perfect}
    monkeypatch.setattr(training, "inner_scores", lambda arts, cs: {c: scores[c] for c in cs})
    c, threshold = training.choose_hyper([[]] * training.INNER_FOLDS)
    assert c == 0.3  # 1.0 scores as well: the tie goes to the stronger regularisation
    assert 0.1 < threshold <= 0.9


def test_near_miss_a_better_weak_c_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not always the smallest C: when only the weakest regularisation separates, it wins."""
    perfect = [(0.9, True), (0.1, False)] * 5
    useless = [(0.5, True), (0.5, False)] * 5
    scores = {0.03: useless, 0.1: useless, 0.3: useless, 1.0: perfect}
    monkeypatch.setattr(training, "inner_scores", lambda arts, cs: {c: scores[c] for c in cs})
    assert training.choose_hyper([[]] * training.INNER_FOLDS)[0] == 1.0


def test_inner_folds_never_score_an_article_with_a_model_trained_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each inner model is trained on every article but those it then scores."""
    arts = synthetic_articles(8)
    owner = {id(e): k for k, art in enumerate(arts) for e in art}
    trained_on: list[set[int]] = []
    real_fit_grid = training.fit_grid

    def spy(train: list[Example], cs: tuple[float, ...]) -> dict[float, training.Weights]:
        trained_on.append({owner[id(e)] for e in train})
        return real_fit_grid(train, cs)

    monkeypatch.setattr(training, "fit_grid", spy)
    training.inner_scores(arts, (0.1,))
    assert len(trained_on) == training.INNER_FOLDS
    for g, used in enumerate(trained_on):
        held = set(range(g, len(arts), training.INNER_FOLDS))
        assert used == set(range(len(arts))) - held
