"""Landing: raw/ registered, each document extracted under limits (here or on a Dask cluster) into
per-document Parquet, checked, and loaded as the candidate warehouse's `raw` schema."""
