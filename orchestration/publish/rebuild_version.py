"""The rebuild's version: a hash over the code that turns landed extracts into the published
warehouse (the raw load, the dbt project, the quality rules, the publication and the Dagster code
around them) and the fiscal year that the rules compare with. Its Python files are derived from
what runs, as the extraction's are: every `orchestration` module the Dagster definitions import,
directly or not, and the data beside them (`extraction_version.code_files`).

It is the published warehouse's Dagster code version. A build with nothing to land asks Dagster
whether the published warehouse's last materialization carries this version and came after every
landing (`orchestration.cli.staleness`); the extraction has its own version
(`orchestration.land.extraction_version`), which decides what is re-landed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from orchestration.config import DBT_MANIFEST, GX_DIR, REPO_ROOT
from orchestration.land.extraction_version import version_of_code, version_of_files
from orchestration.quality.rules import current_fiscal_year

# What runs after landing: the Dagster definitions' modules, and beside the package the Great
# Expectations project (dbt's code enters through its manifest). A folder that does not exist raises.
REBUILD_ENTRY = ("orchestration.definitions",)
REBUILD_FOLDERS = (GX_DIR.relative_to(REPO_ROOT).as_posix(),)


def code_fingerprint(manifest: dict, today: dt.date) -> str:
    """A hash of everything a model's rows depend on besides its inputs: each model's and seed's
    SQL or data (dbt's checksum) and configuration, every macro, and the fiscal and calendar years
    (rules compare years with the current one; dim_fiscal_year ends a horizon after this year)."""
    nodes = {
        uid: [node["checksum"]["checksum"], node.get("config", {})]
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed")
    }
    macros = {uid: macro["macro_sql"] for uid, macro in manifest["macros"].items()}
    text = json.dumps([nodes, macros, current_fiscal_year(today), today.year], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rebuild_version(manifest_path: Path = DBT_MANIFEST, today: dt.date | None = None) -> str:
    """sha256 (16 hex digits) of the rebuild's code and of the dbt project's `code_fingerprint`."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    parts = [
        version_of_code(REBUILD_ENTRY),
        version_of_files(REPO_ROOT, REBUILD_FOLDERS),
        code_fingerprint(manifest, today or dt.date.today()),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
