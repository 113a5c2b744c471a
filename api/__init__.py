"""edukg's HTTP API: SPARQL 1.1 Protocol endpoint, REST look-ups and writes, query page.

`api.app.create_app(settings, store=..., extractor=...)` builds the FastAPI app; the store it
talks to is the store service in kg/service/.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
