"""Manifest lines with faults, for the faulty warehouse (conftest) and the tests that read it."""

from __future__ import annotations

from raw_fixture import MANIFEST_CSV

# Documents described by a manifest line with a fault: doc_id, issuer name and fiscal year read
# from the content, and the manifest line (the sample manifest's lines come first).
MANIFEST_FAULTS = [
    ("extra/m_fivedigit.txt", "", None, "extra/m_fivedigit.txt,府中市,13206,results,2021,題,府中市,2026-11-22"),
    ("extra/m_badcode.txt", "", None, "extra/m_badcode.txt,,999999,results,2021,題,,2026-11-22"),
    ("extra/m_namecode.txt", "", None, "extra/m_namecode.txt,山口県,032018,results,2021,題,,2026-11-22"),
    ("extra/m_badfields.txt", "", None, "extra/m_badfields.txt,盛岡市,032018,report,R3,題,,2026-13-01"),
    ("extra/m_dup.txt", "", None, "extra/m_dup.txt,盛岡市,032018,results,2021,題,,2026-11-22"),
    ("extra/m_dup.txt", "", None, "extra/m_dup.txt,盛岡市,032018,results,2021,題,,2026-11-22"),
    ("extra/m_conflict.txt", "", None, "extra/m_conflict.txt,盛岡市,032018,results,2021,題,,2026-11-22"),
    ("extra/m_conflict.txt", "", None, "extra/m_conflict.txt,岩手県,030007,results,2021,題,,2026-11-22"),
    ("extra/m_contradicts.txt", "山口県", 2019, "extra/m_contradicts.txt,盛岡市,032018,results,2021,題,,2026-11-22"),
    (None, "", None, "extra/ghost.txt,盛岡市,032018,results,2021,題,,2026-11-22"),
    (None, "", None, ",盛岡市,032018,results,2021,題,,2026-11-22"),
    ("extra/m_extra.txt", "", None, "extra/m_extra.txt,盛岡市,032018,results,2021,題,,2026-11-22,余分"),
    (None, "", None, "/home/analyst/reports/raw/m_abs.pdf,盛岡市,032018,results,2021,題,,2026-11-22"),
    (None, "", None, "../outside/m_up.pdf,盛岡市,032018,results,2021,題,,2026-11-22"),
]
# Files the manifest names outside raw/: an absolute path (the host's folders) and one leaving it.
OUTSIDE_RAW = ("/home/analyst/reports/raw/m_abs.pdf", "../outside/m_up.pdf")
# 001's own lines name 東北六市 (no government): without its manifest line its issuer is unresolved.
UNLISTED_SAMPLE = "001_f7ec1f6663b0fe0d.txt"


def faulty_manifest_lines() -> list[str]:
    """The sample manifest without 001's line, then the faulty lines (line 1 is the header)."""
    return [
        line for line in MANIFEST_CSV.read_text(encoding="utf-8").splitlines() if not line.startswith(UNLISTED_SAMPLE)
    ] + [line for *_, line in MANIFEST_FAULTS]
