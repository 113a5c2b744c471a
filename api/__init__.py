"""edukg's HTTP API: SPARQL 1.1 Protocol endpoint, REST look-ups and writes, query page.

`api.app.create_app(settings)` builds the FastAPI app. This package's __init__ stays import-light
on purpose: the store process (`python -m api.store_worker`) imports the package too and should
not pay for FastAPI.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
