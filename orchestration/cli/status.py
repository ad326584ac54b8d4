"""`sosei status`: what is registered, landed, in review and published."""

from __future__ import annotations

import json
import os

from orchestration.cli.instance import instance, repairing_storage
from orchestration.config import Settings
from orchestration.defs.partitions import DOCUMENTS, doc_id_from_key
from orchestration.land.registry import hash_raw, plan, scan_raw
from orchestration.land.store import landed_documents


def run(settings: Settings) -> int:
    repairing_storage(settings, lambda: status(settings))
    return 0


def status(settings: Settings) -> None:
    registered = [doc_id_from_key(k) for k in instance(settings).get_dynamic_partitions(DOCUMENTS)]
    docs = landed_documents(settings)
    pending = plan(docs, hash_raw(scan_raw(settings.raw_dir), settings.raw_hashes))
    print(f"registered: {len(registered)} documents")
    print(f"landed:     {len(docs)} documents, {sum(d.n_observations for d in docs.values())} observations")
    for doc in sorted(docs.values(), key=lambda d: d.doc_id):
        state = (
            f"ERROR {doc.error}"
            if doc.read_status == "error"
            else (f"{doc.n_observations} observations, {doc.n_review} in review")
        )
        print(f"  {doc.doc_id}: {state}")
    unreadable = sum(d.read_status == "error" for d in docs.values())
    record_path = settings.published_dir / "run_record.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else None
    # the build's count: rows of the published review_queue (extraction's fragments are some of them)
    published_review = (record or {}).get("row_counts", {}).get("review_queue")
    print(
        f"in review:  {'n/a' if published_review is None else published_review} rows in the published review_queue; "
        f"{sum(d.n_review for d in docs.values())} fragments landed for review, {unreadable} unreadable documents"
    )
    print(f"pending:    {pending.describe()} (raw/ against the last landing)")
    if record is not None:
        print(
            f"published:  {record['published_db']} (run {record['run_id']}, {record['recorded_at']}, "
            f"{record['documents']} documents)"
        )
        for table, rows in sorted(record.get("row_counts", {}).items()):
            print(f"  {table}: {rows} rows")  # review_queue: everything a person must look at
    elif (settings.published_dir / "current").is_symlink():  # a release deleted by hand
        target = os.readlink(settings.published_dir / "current")
        print(f"published:  NONE: current points to {target}, which is missing (the next build publishes again)")
    else:
        print("published:  nothing yet")
