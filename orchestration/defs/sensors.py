"""The raw/ sensor: registers new and changed files by content hash and requests runs for them."""

import hashlib
import json

import dagster as dg

from orchestration.defs.jobs import sosei_build, sosei_rebuild
from orchestration.defs.partitions import (
    DOCUMENTS,
    contiguous_ranges,
    doc_id_from_key,
    documents_partitions,
    partition_key,
    partition_range_tags,
)
from orchestration.defs.resources import SoseiSettings
from orchestration.landing import diff_hashes, hash_raw

REMOVED_TAG = "sosei/removed_documents"


def _run_key(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


@dg.sensor(jobs=[sosei_build, sosei_rebuild], minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,  # a fresh checkout's `make dev` lands raw/
           description="Watches raw/: lands new or changed files (by sha256), drops removed ones.")
def raw_files_sensor(context: dg.SensorEvaluationContext, sosei: SoseiSettings) -> dg.SensorResult:
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    now = hash_raw(sosei.settings().raw_dir)
    changes = diff_hashes(seen, now)

    registered = context.instance.get_dynamic_partitions(DOCUMENTS)
    now_keys = {partition_key(d) for d in now}
    to_add = sorted(now_keys - set(registered))
    # Removed since the last tick, or registered by someone else for a file that is not there.
    to_delete = sorted({partition_key(d) for d in changes.removed} | (set(registered) - now_keys))
    order = [k for k in registered if k not in to_delete] + to_add
    to_land = {partition_key(d) for d in changes.to_land}

    tags = {REMOVED_TAG: ",".join(doc_id_from_key(k) for k in to_delete)} if to_delete else {}
    run_requests = []
    for first, last in contiguous_ranges(order, to_land):
        run_key = _run_key({"land": first + "..." + last, **{d: now[d] for d in changes.to_land}})
        run_requests.append(dg.RunRequest(run_key=run_key, job_name=sosei_build.name,
                                          tags={**tags, **partition_range_tags(first, last)}))
    if to_delete and not run_requests:
        run_requests.append(dg.RunRequest(
            run_key=_run_key({"remove": tags[REMOVED_TAG]}), job_name=sosei_rebuild.name, tags=tags))
    requests = []
    if to_add:
        requests.append(documents_partitions.build_add_request(to_add))
    if to_delete:
        requests.append(documents_partitions.build_delete_request(to_delete))
    context.log.info(f"{len(changes.new)} new, {len(changes.changed)} changed, "
                     f"{len(changes.unchanged)} unchanged, {len(to_delete)} removed")
    return dg.SensorResult(run_requests=run_requests, dynamic_partitions_requests=requests,
                           cursor=json.dumps(now, sort_keys=True))
