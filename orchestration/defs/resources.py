"""The settings resource: where raw/ and the warehouse are, as Dagster configuration."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import Field

from orchestration.config import Settings


class SoseiSettings(dg.ConfigurableResource):
    """sosei's paths (docs/ARCHITECTURE.md); defaults come from the environment."""

    root: str
    raw_dir: str
    warehouse_dir: str
    dask_scheduler: str = Field(
        default="",
        description='Where landing runs: "" this machine, "local:N" a Dask LocalCluster, "tcp://host:8786" a cluster',
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> SoseiSettings:
        return cls(
            root=str(settings.root),
            raw_dir=str(settings.raw_dir),
            warehouse_dir=str(settings.warehouse_dir),
            dask_scheduler=settings.dask_scheduler,
        )

    def settings(self) -> Settings:
        return Settings(
            root=Path(self.root),
            raw_dir=Path(self.raw_dir),
            warehouse_dir=Path(self.warehouse_dir),
            dask_scheduler=self.dask_scheduler,
        )
