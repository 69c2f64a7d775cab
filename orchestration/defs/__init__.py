"""Dagster definitions, loaded folder by folder by ``dg.load_defs``."""
