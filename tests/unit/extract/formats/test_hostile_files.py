"""Hostile files of issue 24's probes that held, kept as tests: XML entities (external ones and
the billion laughs) in every XML-based format, zip archives that unpack too far or name paths
outside themselves, and a CSV a million columns wide. Each ends in a read or a reason naming the
file, reads nothing from outside the file and writes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from office_writers import write_docx

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import base
from orchestration.synth.render import write_xlsx

SECRET = "SECRET-1f3a"  # the content of a file an external entity names
BLOCKS = ["令和4年度 実績", [["指標", "実績値"], ["来訪者数", "143"]]]
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


def _doctype(root: str, secret) -> str:
    """A DOCTYPE declaring `&xxe;` (the secret file) and `&l9;` (10^9 'lol's)."""
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY l0 "lol">{LAUGHS}]>'


def _with_entities(path, member: str, root: str, secret, text: str, entity: str) -> None:
    """The zip at `path` with `member`'s XML given the DOCTYPE and `text` replaced by `entity`."""
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == member:
                xml = data.decode("utf-8")
                head, body = xml.split("?>", 1) if xml.startswith("<?xml") else ("", xml)
                text = next(t for t in (text, "".join(f"&#{ord(c)};" for c in text)) if t in body)  # as written
                body = body.replace(text, entity, 1)
                data = f"{head + '?>' if head else ''}{_doctype(root, secret)}{body}".encode()
            out.writestr(item, data)


def _texts(result) -> str:
    return " ".join([result.error or ""] + [f"{o.kpi_name} {o.fragment}" for o in result.observations])


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("entity", ["&xxe;", "&l9;"])
@pytest.mark.parametrize(
    ("ext", "member", "root"),
    [(".xlsx", "xl/worksheets/sheet1.xml", "worksheet"), (".docx", "word/document.xml", "w:document")],
)
def test_entities_in_office_xml_read_no_file_and_expand_nothing(tmp_path, secret, ext, member, root, entity):
    path = tmp_path / f"entities{ext}"
    (write_xlsx if ext == ".xlsx" else write_docx)(path, BLOCKS)
    _with_entities(path, member, root, secret, "来訪者数", entity)
    result = extract_file(path)
    assert SECRET not in _texts(result) and "lollol" not in _texts(result)
    assert "来訪者数" not in _texts(result)  # the cell holding the entity was changed
    assert result.error is None or result.error.startswith(f"{path}: not a readable {ext}")


@pytest.mark.parametrize("entity", ["&xxe;", "&l9;"])
def test_entities_in_html_read_no_file_and_expand_nothing(tmp_path, secret, entity):
    path = tmp_path / "entities.html"
    body = f"<table><tr><td>指標</td><td>実績値</td></tr><tr><td>{entity}来訪者数</td><td>143</td></tr></table>"
    path.write_text(f'<?xml version="1.0"?>{_doctype("html", secret)}<html><body>{body}</body></html>', "utf-8")
    result = extract_file(path)
    assert SECRET not in _texts(result) and "lollol" not in _texts(result)
    assert [(o.kpi_name, o.value) for o in result.observations] == [(f"{entity}来訪者数", 143)]  # left as printed


def test_a_zip_that_unpacks_past_the_limit_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    """The limit is 1 GiB; a workbook of a few kilobytes unpacks past a limit of 1 KiB."""
    monkeypatch.setattr(base, "MAX_UNZIPPED_BYTES", 1024)
    path = tmp_path / "bomb.xlsx"
    write_xlsx(path, BLOCKS)
    result = extract_file(path)
    assert result.error.startswith(f"{path}: zip archive unpacks to ") and "more than 1,024" in result.error


@pytest.mark.parametrize("ext", [".xlsx", ".docx"])
def test_a_member_named_outside_the_archive_writes_nothing(tmp_path, ext):
    """A member named ../../escaped.txt (zip slip): the readers never unpack to disk."""
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    path = folder / f"slip{ext}"
    (write_xlsx if ext == ".xlsx" else write_docx)(path, BLOCKS)
    with zipfile.ZipFile(path, "a") as out:
        out.writestr("../../escaped.txt", "written outside")
    result = extract_file(path)
    assert result.error is None and [o.value for o in result.observations] == [143]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", f"slip{ext}"]


def test_a_csv_a_million_columns_wide_is_refused_naming_the_cells(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("指標," + ",".join(["1"] * base.MAX_CELLS) + "\n", encoding="utf-8")
    result = extract_file(path)
    assert result.error == f"{path}: 1,000,001 table cells, more than 1,000,000"
