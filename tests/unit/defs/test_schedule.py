"""The annual refresh schedule: cron, timezone, and the fiscal year tag of its run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.partitions import DOCUMENTS, partition_range_tags
from orchestration.defs.schedules import FISCAL_YEAR_TAG, annual_refresh, fiscal_year_closed_before

TOKYO = ZoneInfo("Asia/Tokyo")


def test_runs_on_1_october_in_tokyo() -> None:
    assert annual_refresh.cron_schedule == "0 6 1 10 *"
    assert annual_refresh.execution_timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("when", "fiscal_year"),
    [
        (datetime(2026, 10, 1, 6, tzinfo=TOKYO), 2025),  # FY2025 closed in March 2026
        (datetime(2026, 4, 1, tzinfo=TOKYO), 2025),
        (datetime(2026, 3, 31, tzinfo=TOKYO), 2024),  # March 2026 has not closed yet
        (datetime(2027, 1, 15, tzinfo=TOKYO), 2025),
    ],
)
def test_fiscal_year_closed_before(when: datetime, fiscal_year: int) -> None:
    assert fiscal_year_closed_before(when) == fiscal_year


def test_tick_tags_its_run_with_the_fiscal_year_and_covers_every_document(instance) -> None:
    instance.add_dynamic_partitions(DOCUMENTS, ["a.txt", "b.txt", "c.txt"])
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=datetime(2026, 10, 1, 6, tzinfo=TOKYO)
    )
    data = annual_refresh.evaluate_tick(context)
    [run] = data.run_requests
    assert run.tags[FISCAL_YEAR_TAG] == "2025"
    assert run.tags.items() >= partition_range_tags("a.txt", "c.txt").items()


def test_tick_skips_when_nothing_is_registered(instance) -> None:
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=datetime(2027, 10, 1, 6, tzinfo=TOKYO)
    )
    data = annual_refresh.evaluate_tick(context)
    assert not data.run_requests
    assert "no documents registered" in data.skip_message
