"""The learned relation scorer at run time: a logistic regression per relation, read from JSON.

Each relation has a bias and a weight per feature (features are strings, see features.py);
the probability of a candidate is sigmoid(bias + sum of its features' weights). Shipping the
table rather than a pickled estimator keeps the package small, safe to load, and free of
scikit-learn, which is needed only to train (extract/relations/training.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "relation_model.json"
FORMAT = "edukg.relation_model.v1"


@dataclass
class RelationModel:
    """Per-relation weights; `threshold` is the probability from which a triple is asserted."""

    bias: dict[str, float]
    weights: dict[str, dict[str, float]]
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, label: str, features: set[str]) -> float:
        if label not in self.bias:
            return 0.0
        table = self.weights[label]
        z = self.bias[label] + sum(table.get(f, 0.0) for f in features)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "threshold": self.threshold,
            "meta": self.meta,
            "bias": self.bias,
            "weights": self.weights,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelationModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not an edukg relation model (format {data.get('format')!r})")
        return cls(
            bias={k: float(v) for k, v in data["bias"].items()},
            weights={k: {f: float(w) for f, w in v.items()} for k, v in data["weights"].items()},
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta", {})),
        )

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.write_text(json.dumps(self.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> RelationModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def load_default() -> RelationModel | None:
    """The shipped model, or None when the package holds none (rules alone then)."""
    return RelationModel.load() if DEFAULT_PATH.exists() else None
