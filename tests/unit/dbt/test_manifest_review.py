"""A manifest line that does not check out is a review row naming the line; the rest publishes."""

from __future__ import annotations

import pytest
from dbt_harness import query
from manifest_faults import OUTSIDE_RAW, UNLISTED_SAMPLE, faulty_manifest_lines


def _line(file: str, nth: int = 1) -> int:
    numbers = [n for n, line in enumerate(faulty_manifest_lines(), start=1) if line.split(",", 1)[0] == file]
    return numbers[nth - 1]


def _manifest_reviews(db) -> dict[int, str]:
    return dict(query(db, "select line, reason from marts.review_queue where review_source = 'manifest'"))


def _documents(db) -> dict[str, tuple]:
    rows = query(
        db,
        """select doc_id, issuer_code, issuer_resolution, doc_kind, fiscal_year, in_manifest
                        from marts.dim_document""",
    )
    return {doc: rest for doc, *rest in rows}


def _unresolved(db) -> dict[str, str]:
    return dict(query(db, "select doc_id, reason from marts.review_queue where review_source = 'unresolved_issuer'"))


def test_a_code_without_its_check_digit_resolves(faulty_warehouse):
    assert _documents(faulty_warehouse)["extra/m_fivedigit.txt"][:2] == ["132063", "manifest"]


@pytest.mark.parametrize(
    ("file", "says"),
    [
        ("extra/m_badcode.txt", "issuer_code 999999 is not in local_government_codes"),
        ("extra/m_namecode.txt", "issuer_code 032018 is 盛岡市 but issuer_name is 山口県; neither is used"),
    ],
)
def test_a_code_that_does_not_check_out_leaves_the_issuer_unresolved_naming_the_line(faulty_warehouse, file, says):
    assert _documents(faulty_warehouse)[file][:2] == [None, "unresolved"]
    assert _unresolved(faulty_warehouse)[file] == f"manifest.csv line {_line(file)}: {says}"


def test_values_that_do_not_parse_are_reviewed_and_not_applied(faulty_warehouse):
    reason = _manifest_reviews(faulty_warehouse)[_line("extra/m_badfields.txt")]
    assert reason.startswith(f"manifest.csv line {_line('extra/m_badfields.txt')}: ")
    assert "doc_kind report is not one of results, plan, narrative" in reason
    assert "fiscal_year R3 is not a fiscal year" in reason
    assert "retrieved_on 2026-13-01 is not a date" in reason
    issuer, resolution, kind, year, listed = _documents(faulty_warehouse)["extra/m_badfields.txt"]
    assert (issuer, resolution, kind, year, listed) == ("032018", "manifest", None, None, True)


def test_repeated_lines_use_the_first_and_conflicting_lines_use_none(faulty_warehouse):
    reviews = _manifest_reviews(faulty_warehouse)
    assert reviews[_line("extra/m_dup.txt", 2)].endswith(f"repeats line {_line('extra/m_dup.txt')}")
    assert _line("extra/m_dup.txt") not in reviews
    assert _documents(faulty_warehouse)["extra/m_dup.txt"][:2] == ["032018", "manifest"]
    first, second = _line("extra/m_conflict.txt"), _line("extra/m_conflict.txt", 2)
    for line in (first, second):
        assert f"lines {first}, {second} describe extra/m_conflict.txt differently" in reviews[line]
    assert _documents(faulty_warehouse)["extra/m_conflict.txt"][1:] == ["unresolved", None, None, True]


def test_a_line_that_contradicts_its_document_is_reviewed_and_the_manifest_used(faulty_warehouse):
    reason = _manifest_reviews(faulty_warehouse)[_line("extra/m_contradicts.txt")]
    assert "fiscal_year 2021 but the document states FY2019" in reason
    assert "issuer 盛岡市 but the document names 山口県" in reason
    assert _documents(faulty_warehouse)["extra/m_contradicts.txt"][:4] == ["032018", "manifest", "results", 2021]


def test_lines_naming_no_document_no_file_or_extra_fields_are_reviewed(faulty_warehouse):
    reviews = _manifest_reviews(faulty_warehouse)
    assert reviews[_line("extra/ghost.txt")].endswith("no document extra/ghost.txt was landed from raw/")
    assert reviews[_line("")].endswith("names no file")
    assert reviews[_line("extra/m_extra.txt")].endswith("fields beyond the header: 余分")
    rows = query(
        faulty_warehouse,
        "select doc_id from marts.review_queue where line = ? and review_source = 'manifest'",
        [_line("extra/ghost.txt")],
    )
    assert rows == [("extra/ghost.txt",)]


@pytest.mark.parametrize("file", OUTSIDE_RAW)
def test_a_file_outside_raw_is_a_review_row_without_the_hosts_folders(faulty_warehouse, file):
    """The build passed (its dbt tests include assert_published_text_has_no_host_paths)."""
    name = file.rsplit("/", 1)[1]
    assert _manifest_reviews(faulty_warehouse)[_line(file)].endswith(
        f"file …/{name} is not a path under raw/ (an absolute path, or one leaving raw/); the line is not used"
    )
    leaked = "select count(*) from marts.review_queue where concat(doc_id, reason) like '%analyst%'"
    assert query(faulty_warehouse, leaked) == [(0,)]


def test_every_faulty_line_is_one_review_row_and_sound_lines_none(faulty_warehouse):
    reviews = _manifest_reviews(faulty_warehouse)
    faulty = {
        _line("extra/m_badfields.txt"),
        _line("extra/m_dup.txt", 2),
        _line("extra/m_conflict.txt"),
        _line("extra/m_conflict.txt", 2),
        _line("extra/m_contradicts.txt"),
        _line("extra/ghost.txt"),
        _line(""),
        _line("extra/m_extra.txt"),
        *(_line(file) for file in OUTSIDE_RAW),
    }
    assert set(reviews) == faulty  # issuer codes are reviewed with the issuer they leave unresolved


def test_an_unlisted_document_naming_no_government_publishes_with_its_rates(faulty_warehouse):
    """Seed 001 names 東北六市: unresolved, reviewed, and its KPIs still count in the summary."""
    assert _documents(faulty_warehouse)[UNLISTED_SAMPLE][:2] == [None, "unresolved"]
    assert "東北六市" in _unresolved(faulty_warehouse)[UNLISTED_SAMPLE]
    rows = query(
        faulty_warehouse,
        """
        select sum(n_kpis_with_result) from marts.summary_kpi_achievement where issuer_code is null""",
    )
    assert rows[0][0] > 0
