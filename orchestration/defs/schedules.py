"""The annual refresh, once a year after the results of the fiscal year are usually published."""

import os
from datetime import datetime

import dagster as dg

from orchestration.defs.jobs import sosei_build
from orchestration.defs.partitions import DOCUMENTS, partition_range_tags

FISCAL_YEAR_TAG = "sosei/fiscal_year"
REFRESH_CRON = os.environ.get("SOSEI_REFRESH_CRON", "0 6 1 10 *")  # 1 October, 06:00
REFRESH_TIMEZONE = os.environ.get("SOSEI_REFRESH_TIMEZONE", "Asia/Tokyo")


def fiscal_year_closed_before(when: datetime) -> int:
    """The fiscal year (April–March) that closed the March before `when`.

    Fiscal year Y runs from April Y to March Y+1; on 1 October 2026 the last closed is FY2025.
    """
    last_march_year = when.year if when.month > 3 else when.year - 1
    return last_march_year - 1


@dg.schedule(
    cron_schedule=REFRESH_CRON,
    execution_timezone=REFRESH_TIMEZONE,
    job=sosei_build,
    description="Annual refresh: re-land every registered document and rebuild, tagged "
    "with the fiscal year whose results it targets.",
)
def annual_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    fiscal_year = fiscal_year_closed_before(context.scheduled_execution_time)
    tags = {FISCAL_YEAR_TAG: str(fiscal_year)}
    keys = context.instance.get_dynamic_partitions(DOCUMENTS)
    if not keys:
        return dg.SkipReason("no documents registered: the raw/ sensor registers them")
    return dg.RunRequest(run_key=f"annual-{fiscal_year}", tags={**tags, **partition_range_tags(keys[0], keys[-1])})
