"""Synthetic national-scale history written straight into the landing zone."""

from vigie.ingestion.generator.history import GenerateSummary, daily_counts, generate

__all__ = ["GenerateSummary", "daily_counts", "generate"]
