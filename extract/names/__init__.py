"""Organisation-name helpers shared by the `edukg_names` component.

Each module answers one question about a stretch of capitalised tokens, so that a rule can be
read and tested alone: where a name ends (`boundaries`), whether "A and B" is one name or two
(`coordination`), which type a name has when its head word does not say (`context`) and which
words of a Title-Case headline are verbs (`headline`).
"""
