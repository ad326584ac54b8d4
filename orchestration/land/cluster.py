"""Landing on a Dask cluster (`distributed`), behind `store.land_many`.

`SOSEI_DASK_SCHEDULER` (or `sosei build --dask`, or the Dagster resource's `dask_scheduler`)
says where: `local:N` starts a LocalCluster of N worker processes on this machine for the run;
`tcp://host:8786` (or `tls://`) uses a running cluster. Unset, landing uses this machine's
worker processes (`orchestration.land.workers`) as before.

- Documents travel as bytes and their landing Parquet comes back as bytes: workers need no
  shared file system. The driver writes the landing files (`store.write_landing`).
- Per-document limits as on one machine: each worker thread keeps a long-lived limited child
  process (`workers.Sandbox`), so time, memory, exceptions and a dead child give the same
  reasons. Dask workers must run with `distributed.worker.daemon: False` to have children.
- Scans and large documents go alone and first (they take longest); the others go in batches
  (a Dask task costs milliseconds); a bounded number of tasks is in flight.
- Stopping (SIGTERM, Ctrl-C, a failed step) sets a `distributed.Event` the workers poll while
  a document runs, and cancels the futures.
- A worker whose extraction code differs from the driver's (`extraction_version.CODE_VERSION`)
  is refused with a message naming it, before anything lands.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import dask
from distributed import Client, Event, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from orchestration.config import Settings, environment
from orchestration.extract.formats import import_readers
from orchestration.land import extraction_version
from orchestration.land.registry import RawEntry
from orchestration.land.store import land_entry, read_to_parquet, write_landing
from orchestration.land.workers import LIMIT_REASONS, Limits, Sandbox, Stopped

SCHEDULER_ENV = "SOSEI_DASK_SCHEDULER"
BATCH_DOCUMENTS = 20  # small documents per task: one task per document costs a third more (2 cores)
BATCH_BYTES = 8 * 1024**2
# A document this large goes in a task of its own, first: a scanned PDF is 0.3–1 MB a page (seconds
# of OCR each), a text report tens of KB. Batched, the scans of a batch all ran on one worker.
ALONE_BYTES = 512 * 1024
SCAN_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # OCR: seconds per page, alone and first
TASKS_PER_THREAD = 2  # tasks in flight per worker thread: one running, one on its way
POLL_SECONDS = 0.5  # how often a running document asks whether landing was stopped
WORKER_CONFIG = {
    "distributed.worker.daemon": False,  # a worker starts its limited child processes
    "distributed.admin.large-graph-warning-threshold": "1GiB",  # documents travel in their tasks
}


Landed = tuple[str, dict[str, int] | None, str | None]  # (doc_id, rows per table, None) or (doc_id, None, reason)


class StaleWorkers(RuntimeError):
    """Workers that run other extraction code than the driver: they must not land documents."""


class ClusterError(RuntimeError):
    """The cluster cannot be used (a bad address, no workers)."""


# --- the driver -----------------------------------------------------------------------------------


def land_on_cluster(
    entries: list[RawEntry], settings: Settings, version: str, limits: Limits, read: Callable | None = None
) -> Iterator[Landed]:
    """Land `entries` on the cluster at `settings.dask_scheduler`, recording `version`; yields
    (doc_id, rows per table, None) or (doc_id, None, reason) as each finishes, as `land_many`.
    `read`: what the workers' limited children run on each document (`read_to_parquet`)."""
    remote = []
    for entry in entries:  # one not to be read lands its error row here, unopened
        if entry.rejected:
            yield entry.doc_id, land_entry(entry, settings, version), None
        else:
            remote.append(entry)
    if not remote:
        return
    with connect(settings.dask_scheduler) as client:
        threads = check_workers(client)
        stop = Event(f"sosei-stop-{uuid.uuid4().hex}", client=client)
        tasks = iter(plan_tasks(remote))
        running, pending = as_completed(), {}  # pending: future → its documents' ids
        submit = _Submitter(client, settings, version, limits, stop.name, read or read_to_parquet)
        try:
            for _ in range(TASKS_PER_THREAD * threads):
                yield from submit.next(tasks, running, pending)
            for future in running:
                yield from _collect(future, pending.pop(future), settings)
                yield from submit.next(tasks, running, pending)
        finally:  # stopped, failed or done: running documents stop, queued ones are dropped
            with suppress(Exception):  # the scheduler may be gone already
                stop.set()
            client.cancel(list(pending))


def parse_address(address: str) -> tuple[str, int | None]:
    """("local", N) for `local:N`, (address, None) for a scheduler's `tcp://` or `tls://` address."""
    if address.startswith("local:") and address[6:].isdigit() and int(address[6:]) > 0:
        return "local", int(address[6:])
    if address.startswith(("tcp://", "tls://")):
        return address, None
    raise ClusterError(f"{SCHEDULER_ENV}={address!r}: expected local:N or a scheduler's tcp://host:port")


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the cluster at `address`; for `local:N`, of a LocalCluster started for the block."""
    where, workers = parse_address(address)
    with environment({"DASK_DISTRIBUTED__WORKER__DAEMON": "False"}), dask.config.set(WORKER_CONFIG):
        if workers is None:
            with Client(where, timeout=30) as client:
                yield client
            return
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as local,
            Client(local) as client,
        ):
            yield client


def check_workers(client: Client) -> int:
    """The worker threads of the cluster, once every worker is known to run this extraction code;
    raises `StaleWorkers` naming those that do not, `ClusterError` when there are none."""
    try:
        client.wait_for_workers(1, timeout=60)
    except TimeoutError as e:
        raise ClusterError(f"no Dask worker joined the scheduler at {client.scheduler.address} in 60 s") from e
    try:
        versions = client.run(_code_version)
    except Exception as e:  # the workers cannot import sosei's code at all
        raise StaleWorkers(f"Dask workers cannot run sosei's extraction ({type(e).__name__}: {e})") from e
    stale = {worker: v for worker, v in versions.items() if v != extraction_version.CODE_VERSION}
    if stale:
        raise StaleWorkers(_stale_message(stale, extraction_version.CODE_VERSION))
    return sum(client.nthreads().values())


def _stale_message(stale: dict[str, str], driver: str) -> str:
    workers = ", ".join(f"{worker} (extraction version {version})" for worker, version in sorted(stale.items()))
    return (
        f"Dask worker(s) refused, their extraction code differs from this build's (extraction version "
        f"{driver}): {workers}. Install the same sosei wheel on every worker and restart them."
    )


def plan_tasks(entries: list[RawEntry]) -> list[list[RawEntry]]:
    """Scans and large documents one per task, largest first; then the others in batches."""
    sizes = {entry.doc_id: _size(entry) for entry in entries}
    alone = sorted((e for e in entries if _alone(e, sizes[e.doc_id])), key=lambda e: -sizes[e.doc_id])
    tasks: list[list[RawEntry]] = [[entry] for entry in alone]
    batch: list[RawEntry] = []
    for entry in (e for e in entries if not _alone(e, sizes[e.doc_id])):
        if batch and (len(batch) >= BATCH_DOCUMENTS or sum(sizes[e.doc_id] for e in batch) >= BATCH_BYTES):
            tasks.append(batch)
            batch = []
        batch.append(entry)
    return tasks + ([batch] if batch else [])


def _size(entry: RawEntry) -> int:
    try:
        return entry.path.stat().st_size
    except OSError:  # gone or unreadable: its task says why
        return 0


def _alone(entry: RawEntry, size: int) -> bool:
    return entry.path.suffix.lower() in SCAN_SUFFIXES or size >= ALONE_BYTES


class _Submitter:
    """Sends the next task: its documents' bytes, the version to record and the driver's code."""

    def __init__(self, client: Client, settings: Settings, version: str, limits: Limits, stop: str, read) -> None:
        self.client, self.settings, self.version, self.limits = client, settings, version, limits
        self.stop, self.read = stop, read

    def next(self, tasks: Iterator[list[RawEntry]], running: as_completed, pending: dict) -> Iterator[Landed]:
        """Submit the next task, if any; a document this process cannot read lands here, with the
        reason reading it gives (as on one machine)."""
        batch = next(tasks, None)
        if batch is None:
            return
        documents = []
        for entry in batch:
            relative = entry.path.relative_to(self.settings.raw_dir.resolve()).as_posix()
            try:
                documents.append((entry.doc_id, relative, entry.path.read_bytes()))
            except OSError:
                yield entry.doc_id, land_entry(entry, self.settings, self.version), None
        if documents:
            args = (documents, self.version, extraction_version.CODE_VERSION, self.limits, self.stop, self.read)
            future = self.client.submit(land_batch, *args, pure=False)
            running.add(future)
            pending[future] = [doc_id for doc_id, _, _ in documents]


def _collect(future, doc_ids: list[str], settings: Settings) -> Iterator[Landed]:
    """Write what a task brought back; a task whose workers died gives each of its documents a reason."""
    try:
        outcomes = future.result()
    except KilledWorker as e:
        outcomes = [(doc_id, None, f"{LIMIT_REASONS[2]} (its Dask worker: {e})") for doc_id in doc_ids]
    for doc_id, parquet, error in outcomes:
        if error:
            yield doc_id, None, error
        else:
            yield doc_id, write_landing(parquet, doc_id, settings), None


# --- on a worker ----------------------------------------------------------------------------------

_local = threading.local()  # each worker thread's sandbox


def _code_version() -> str:
    return extraction_version.CODE_VERSION


def land_batch(
    documents: list[tuple[str, str, bytes]], version: str, code_version: str, limits: Limits, stop: str, read: Callable
) -> list[tuple[str, dict[str, bytes] | None, str | None]]:
    """On a worker: read each document in this thread's limited child process; (doc_id, Parquet
    bytes per table, None) or (doc_id, None, reason) each. Raises `StaleWorkers` on a worker
    whose extraction code is not the driver's."""
    if code_version != extraction_version.CODE_VERSION:
        raise StaleWorkers(_stale_message({_worker_address(): extraction_version.CODE_VERSION}, code_version))
    stopped = Event(stop).is_set
    sandbox = _sandbox(read, version, limits)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="sosei-landing-") as scratch:
        raw = Path(scratch) / "raw"
        for doc_id, relative, data in documents:
            if stopped():
                raise Stopped
            outcomes.append((doc_id, *_land_one(sandbox, raw, doc_id, relative, data, stopped)))
    return outcomes


def _land_one(sandbox: Sandbox, raw: Path, doc_id: str, relative: str, data: bytes, stopped: Callable[[], bool]):
    path = raw / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        return sandbox.run((doc_id, str(path), str(raw)), stopped, POLL_SECONDS)
    finally:
        path.unlink(missing_ok=True)


def _sandbox(read: Callable, version: str, limits: Limits) -> Sandbox:
    """This thread's limited child, kept between tasks (a new one for another version or limits)."""
    key = (read, version, limits)
    if getattr(_local, "key", None) != key:
        if getattr(_local, "sandbox", None) is not None:
            _local.sandbox.close()
        _local.sandbox, _local.key = Sandbox(read, (version,), limits, warm=import_readers), key
    return _local.sandbox


def _worker_address() -> str:
    from distributed import get_worker

    return get_worker().address
