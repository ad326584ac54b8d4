"""Which dbt nodes a build by the same code as the last one can leave as they are, and dbt's
arguments that leave them so (the dbt asset, `defs.dbt`, decides when the code is the same)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def code_only_nodes(manifest: dict) -> list[dict]:
    """The seeds, views and models whose relation is a function of the project's code alone: a
    seed is its CSV, a view its SQL, and a model that reads no source (through any of its parents)
    computes the same rows from the same code. `code_fingerprint` covers all of that code and the
    years the models read (`current_date`), so a build by the code of the last build need not
    rebuild them. Parents come before their children."""
    parents = manifest["parent_map"]
    reads_source: dict[str, bool] = {}

    def reads(unique_id: str) -> bool:
        if unique_id not in reads_source:
            reads_source[unique_id] = unique_id.startswith("source.") or any(reads(p) for p in parents[unique_id])
        return reads_source[unique_id]

    def code_only(unique_id: str, node: dict) -> bool:
        if node["resource_type"] != "model":
            return node["resource_type"] == "seed"
        materialized = node["config"]["materialized"]
        return materialized == "view" or (materialized != "ephemeral" and not reads(unique_id))

    ordered: dict[str, None] = {}  # parents first, as Dagster takes a multi-asset's outputs

    def visit(unique_id: str) -> None:
        if unique_id in ordered:
            return
        for parent in parents[unique_id]:
            visit(parent)
        ordered.setdefault(unique_id)

    for unique_id in manifest["nodes"]:
        visit(unique_id)
    nodes = manifest["nodes"]
    return [nodes[u] for u in ordered if u in nodes and code_only(u, nodes[u])]


def keep_args(kept: list[dict]) -> list[str]:
    """dbt's arguments that leave `kept` as they are; every data test still runs (with `empty`
    indirect selection, excluding a node does not exclude its tests)."""
    if not kept:
        return []
    return ["--exclude", " ".join(".".join(node["fqn"]) for node in kept), "--indirect-selection", "empty"]


def kept_nodes(manifest: dict, database: Path) -> list[dict]:
    """`code_only_nodes`, if every one of their relations is in the candidate (else none: a new or
    altered candidate gets them built)."""
    nodes = code_only_nodes(manifest)
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            present = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
    except duckdb.Error:
        return []
    return nodes if all((node["schema"], node["alias"]) in present for node in nodes) else []
