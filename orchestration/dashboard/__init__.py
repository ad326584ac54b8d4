"""The analysts' dashboard: a Streamlit app over the published warehouse, read-only.

`data` holds the queries (no Streamlit), `ui` the shared widgets, `views/` one file per page (not
`pages/`, which Streamlit would list by itself), `app.py` the entry point that `serve` starts
(`make dashboard`, `sosei dashboard`).
"""
