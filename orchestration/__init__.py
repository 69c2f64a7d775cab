"""Vigie's orchestration: pipeline steps, the Dagster code location, the ``vigie`` command."""
