"""`ftfhub serve`: the REST API over the services (FastAPI; `create_app` in `app.py`)."""

from ftfhub.api.app import create_app

__all__ = ["create_app"]
