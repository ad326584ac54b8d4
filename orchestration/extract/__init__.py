"""The extraction library: files to KPI observations with provenance. No Dagster here."""
