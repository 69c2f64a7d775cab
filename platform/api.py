"""The platform's HTTP API (FastAPI). Every route lives under ``/v1``.

This first version only reports its health; deposits, look-ups and status updates come
with the platform issue.
"""

from __future__ import annotations

from importlib.metadata import version

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from vigie.platform.settings import get_settings


class Health(BaseModel):
    status: str
    version: str
    vigie_home: str


def create_app() -> FastAPI:
    app = FastAPI(
        title="Vigie platform API",
        version=version("vigie"),
        description="Invoice deposits, status events and look-ups of the Vigie hub.",
    )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/v1/health", tags=["system"])
    def health() -> Health:
        return Health(status="ok", version=version("vigie"), vigie_home=str(get_settings().home))

    return app
