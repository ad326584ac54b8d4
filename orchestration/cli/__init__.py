"""The `sosei` command: extract files, build the warehouse (through Dagster), show its status.

Each command is a module of this package, imported when it runs: `sosei --help` loads none of them."""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from orchestration.cli.terminal import escaped_output
from orchestration.config import Settings
from orchestration.dashboard import serve as dashboard  # starts Streamlit in a subprocess


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.raw:
        settings = replace(settings, raw_dir=Path(args.raw).resolve())
    if args.warehouse:
        settings = replace(settings, warehouse_dir=Path(args.warehouse).resolve())
    if getattr(args, "dask", None):
        settings = replace(settings, dask_scheduler=args.dask)
    return settings


def _settings_problem(settings: Settings) -> str | None:
    """Why the settings cannot be used (no raw/ folder, a bad Dask address), or None."""
    if not settings.raw_dir.is_dir():
        return f"{settings.raw_dir}: no such folder"
    if settings.dask_scheduler:
        from orchestration.land.cluster import ClusterError, parse_address  # distributed: only when asked

        try:
            parse_address(settings.dask_scheduler)
        except ClusterError as e:
            return str(e)
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sosei", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p_extract = commands.add_parser("extract", help="print the KPI observations of files (no warehouse)")
    p_extract.add_argument("paths", nargs="+", metavar="PATH")
    p_extract.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    for name, text in (
        ("build", "land raw/, build, gate and publish the warehouse"),
        ("status", "what is registered, landed, in review and published"),
        ("dashboard", "serve the analysts' dashboard over the published warehouse"),
        ("dev", "the Dagster UI and daemon on the builds' instance (arguments after -- go to `dagster dev`)"),
    ):
        p = commands.add_parser(name, help=text)
        p.add_argument("--raw", help="the reports folder (default: $SOSEI_RAW_DIR or <repo>/raw)")
        p.add_argument("--warehouse", help="output folder (default: $SOSEI_WAREHOUSE_DIR or <repo>/warehouse)")
        if name == "build":
            p.add_argument("-v", "--verbose", action="store_true", help="show every Dagster event")
            p.add_argument("--force", action="store_true", help="rebuild and republish even when nothing changed")
            p.add_argument("--no-wait", action="store_true", help="fail at once (exit 3) when another build is running")
            p.add_argument(
                "--dask",
                metavar="ADDR",
                help="land on Dask: local:N (a LocalCluster of N workers) or a scheduler's tcp://host:8786 "
                "(default: $SOSEI_DASK_SCHEDULER; unset: this machine's worker processes)",
            )
        if name == "dashboard":
            p.add_argument(
                "--address",
                default=dashboard.DEFAULT_ADDRESS,
                help=f"address to listen on (default: {dashboard.DEFAULT_ADDRESS}, this host only)",
            )
            p.add_argument("--port", type=int, default=dashboard.DEFAULT_PORT)
        if name == "dev":
            p.add_argument("dagster_args", nargs=argparse.REMAINDER, help="e.g. -- --port 3001")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Data in a terminal is text: escaped. `sosei extract`'s rows are data as they are when written
    # to a file or a pipe.
    with escaped_output(stdout=args.command != "extract" or sys.stdout.isatty()):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    if args.command == "extract":
        from orchestration.cli import extract

        return extract.run(args.paths, args.format)
    settings = _settings(args)
    if args.command == "dashboard":
        return dashboard.serve(settings, args.address, args.port)
    if args.command == "dev":
        from orchestration.cli import dev

        return dev.run(settings, [a for a in args.dagster_args if a != "--"])
    if problem := _settings_problem(settings):
        print(f"sosei: {problem}", file=sys.stderr)
        return 2
    try:
        return _warehouse_command(args, settings)
    except OSError as e:
        if e.errno not in _NOT_WRITABLE:
            raise
        print(
            f"sosei: the warehouse cannot be written ({e.strerror}: {e.filename}); give a writable --warehouse",
            file=sys.stderr,
        )
        return 2


_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def _warehouse_command(args: argparse.Namespace, settings: Settings) -> int:
    """`sosei status` or `sosei build` (their modules import Dagster: only when they run)."""
    if args.command == "status":
        from orchestration.cli import status

        return status.run(settings)
    from orchestration.cli import build

    return build.run(settings, verbose=args.verbose, force=args.force, wait=not args.no_wait)
