"""From the landed extracts to the release: the rebuild's version, the dbt nodes a build keeps,
write–audit–publish of the audited candidate, and its exports."""
