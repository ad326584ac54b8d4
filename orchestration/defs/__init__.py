"""Dagster definitions: thin assets, checks, sensor and schedule over sosei's library code."""
