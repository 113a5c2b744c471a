"""Store backends behind one `Repo` interface; `open_repo(spec)` picks one from a spec string."""

from kg.store.base import QueryResult, Repo

__all__ = ["QueryResult", "Repo"]
