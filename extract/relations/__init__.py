"""The learned relation scorer: candidates (type-compatible entity pairs that meet in the text),
their features, the shipped weights, and how to train them.

Run time needs only candidates.py, features.py and model.py; training.py needs scikit-learn.
"""
