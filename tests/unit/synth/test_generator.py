"""The synthetic corpus: deterministic, every layout family, and reference answers that match
what the documents print."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from orchestration.config import SAMPLES_DIR
from orchestration.synth import generator

CODES = generator.DEFAULT_CODES
pytestmark = pytest.mark.skipif(not CODES.exists(), reason=f"{CODES} is not on this machine")


def files(d: Path) -> dict[str, bytes]:
    """The corpus's files, and its answer key beside it."""
    key = generator.reference_path(d)
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())} | {key.name: key.read_bytes()}


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def document_text(path: Path, encoding: str) -> str:
    """What a document prints, each table cell whole (a PDF cell's wrapped lines rejoined)."""
    if path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            parts = []
            for page in pdf.pages:
                parts.append(page.extract_text() or "")
                parts += [c or "" for t in page.extract_tables() for row in t for c in row]
            return "\n".join(parts)
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path).active
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    return path.read_text(encoding=encoding)


def squeezed(text: str) -> str:
    """NFKC, without white space, digit-group commas or HTML tags: numbers and names compare
    however the document wrapped or spaced them."""
    text = re.sub(r"<[^>]+>", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"(?<=\d),(?=\d)", "", re.sub(r"\s+", "", text))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    generator.generate(out, n_issuers=2, years=2, seed=7, codes=CODES)
    return out


def test_same_arguments_give_the_same_bytes(corpus, tmp_path):
    generator.generate(tmp_path / "corpus", n_issuers=2, years=2, seed=7, codes=CODES, jobs=2)
    assert files(tmp_path / "corpus") == files(corpus)


def test_another_seed_gives_another_corpus(corpus, tmp_path):
    generator.generate(tmp_path / "corpus", n_issuers=2, years=2, seed=8, codes=CODES)
    assert files(tmp_path / "corpus")["corpus.reference.csv"] != files(corpus)["corpus.reference.csv"]
    assert set(files(tmp_path / "corpus")) != set(files(corpus))


def test_a_larger_corpus_contains_a_smaller_one(corpus, tmp_path):
    generator.generate(tmp_path / "corpus", n_issuers=3, years=2, seed=7, codes=CODES)
    small, large = files(corpus), files(tmp_path / "corpus")
    docs = [n for n in small if n not in ("manifest.csv", "corpus.reference.csv")]
    assert all(large[n] == small[n] for n in docs)


def test_four_documents_cover_every_layout_family():
    plan = generator.plan_corpus(generator.load_issuers(CODES), 2, 2, seed=7, docs_limit=None)
    assert {layout for _, _, layout in plan} == set(generator.LAYOUTS)


def test_manifest_describes_every_document_like_the_real_one(corpus):
    manifest = rows(corpus / "manifest.csv")
    real_columns = (SAMPLES_DIR / "manifest.csv").read_text().splitlines()[0]
    assert list(manifest[0]) == real_columns.split(",")
    documents = {p.name for p in corpus.iterdir()} - {"manifest.csv"}
    assert {r["file"] for r in manifest} == documents  # the answer key is not among them
    codes = {r["code"]: r for r in rows(CODES)}
    for r in manifest:
        issuer = codes[r["issuer_code"]]
        assert r["issuer_name"] == (issuer["city"] or issuer["prefecture"])


def test_reference_is_what_the_documents_print(corpus):
    manifest = {r["file"]: r for r in rows(corpus / "manifest.csv")}
    reference = rows(generator.reference_path(corpus))
    assert reference and {r["doc"] for r in reference} == set(manifest)
    texts = {}
    for doc in manifest:
        encoding = "utf-8"
        if doc.endswith(".csv"):
            raw = (corpus / doc).read_bytes()
            encoding = "utf-8" if _is_utf8(raw) else "cp932"
        texts[doc] = squeezed(document_text(corpus / doc, encoding))
    for r in reference:
        text = texts[r["doc"]]
        assert squeezed(r["kpi_name"]) in text, r
        assert squeezed(r["project_name"]) in text, r
        if r["value"]:
            assert r["value"].lstrip("-") in text, r
        else:
            assert r["status"] and r["status"] in text, r
        assert r["measure"] in ("baseline", "target", "actual", "target_increment")


def test_reference_rows_are_unique_per_scoring_key(corpus):
    keys = [(r["doc"], r["kpi_name"], r["measure"], r["fiscal_year"]) for r in rows(generator.reference_path(corpus))]
    assert len(keys) == len(set(keys))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("year", "month", "label", "fiscal_year"),
    [
        (2022, 3, "R4.3", 2021),
        (2019, 3, "H31.3", 2018),
        (2025, 12, "R7.12", 2025),
        (2019, 12, "R1.12", 2019),
    ],
)
def test_points_in_time_print_and_fall_in_their_fiscal_year(year, month, label, fiscal_year):
    assert generator.point_in_time(year, month) == label
    assert generator.fiscal_year_of(year, month) == fiscal_year


def test_era_years():
    assert generator.era_year(2019, "kanji") == "令和元年度"
    assert generator.era_year(2018, "abbrev") == "H30年度"
    assert generator.era_year(2023, "western") == "2023年度"


def test_a_missing_code_list_is_named():
    with pytest.raises(SystemExit, match=r"nowhere\.csv"):
        generator.load_issuers(Path("/nowhere.csv"))
