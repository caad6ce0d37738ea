"""The HTTP API: yente-compatible matching, trade screening and list updates.

``create_app(settings)`` makes the FastAPI app; ``corridor serve`` runs it under uvicorn.
"""

from corridor.api.app import create_app

__all__ = ["create_app"]
