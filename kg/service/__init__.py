"""The store service: the one process that owns the store, and the typed client that talks to it.

Between kg/ (what a store holds and how to read it) and api/ (HTTP): `StoreClient` has one async
method per operation the API needs; `LocalStoreClient` runs them in this process over a `Repo`
(tests, scripts), `ProcessStoreClient` in a supervised store process that can be stopped when a
query overruns (kg/service/process.py explains why a process). Importing this package is light:
the store process imports it too.
"""
