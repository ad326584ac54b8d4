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
    partition_sync,
)
from orchestration.defs.resources import SoseiSettings
from orchestration.land import extraction_version
from orchestration.land.registry import hash_raw, plan, scan_raw
from orchestration.land.store import sound_landed_documents

REMOVED_TAG = "sosei/removed_documents"


def _run_key(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


@dg.sensor(
    jobs=[sosei_build, sosei_rebuild],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,  # a fresh checkout's `make dev` lands raw/
    description="Watches raw/: lands new or changed files (by sha256) and files landed by "
    "another extraction version; drops removed ones.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext, sosei: SoseiSettings) -> dg.SensorResult:
    settings = sosei.settings()
    now = hash_raw(scan_raw(settings.raw_dir), settings.raw_hashes)
    changes = plan(sound_landed_documents(settings)[0], now)  # a damaged document lands again

    registered = context.instance.get_dynamic_partitions(DOCUMENTS)
    to_add, to_delete = partition_sync(registered, now)
    order = [k for k in registered if k not in to_delete] + to_add
    to_land = {partition_key(d) for d in changes.to_land}

    tags = {REMOVED_TAG: ",".join(doc_id_from_key(k) for k in to_delete)} if to_delete else {}
    run_requests = []
    for first, last in contiguous_ranges(order, to_land):
        # The same documents at the same content and extraction version are requested once.
        run_key = _run_key(
            {
                "land": first + "..." + last,
                "version": extraction_version.EXTRACTION_VERSION,
                **{d: now[d] for d in changes.to_land},
            }
        )
        run_requests.append(
            dg.RunRequest(
                run_key=run_key, job_name=sosei_build.name, tags={**tags, **partition_range_tags(first, last)}
            )
        )
    if to_delete and not run_requests:
        run_requests.append(
            dg.RunRequest(run_key=_run_key({"remove": tags[REMOVED_TAG]}), job_name=sosei_rebuild.name, tags=tags)
        )
    requests = []
    if to_add:
        requests.append(documents_partitions.build_add_request(to_add))
    if to_delete:
        requests.append(documents_partitions.build_delete_request(to_delete))
    context.log.info(f"raw/: {changes.describe()}")
    return dg.SensorResult(
        run_requests=run_requests, dynamic_partitions_requests=requests, cursor=json.dumps(now, sort_keys=True)
    )
