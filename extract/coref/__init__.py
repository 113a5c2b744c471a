"""Coreference for organisation mentions: pronouns ("its", "which") and groups ("the two sides")
resolved to the entity clusters of the same article. Referring noun phrases ("the university",
"our college") are resolved in `extract/components/references.py`."""
