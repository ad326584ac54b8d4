"""HTML pages and exports: tables (row and column spans filled) and the text around them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from orchestration.extract.formats.base import MAX_CELLS, Content
from orchestration.extract.formats.cells import BLOCK_TAGS, tidy_lines
from orchestration.extract.formats.encoding import decode_text
from orchestration.extract.model import Block, Cell, DocumentError, Line, Table

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
HIDDEN_TAGS = frozenset({"head", "script", "style", "template", "title", "noscript"})
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})
_ROW, _TABLE = frozenset({"tr"}), frozenset({"table"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# An opening tag that implicitly closes open elements (HTML's optional end tags), searched no
# further out than its scope so a nested table never closes its outer cell.
_IMPLIED_END = {
    **{b: ({"p"}, {"table", "td", "th", "li", "div"}) for b in BLOCK_TAGS - {"br"}},
    "li": ({"li"}, {"ul", "ol", "table"}),
    "td": (_CELLS, {"table", "tr"}),
    "th": (_CELLS, {"table", "tr"}),
    "tr": (_CELLS | {"tr"}, {"table"} | _SECTIONS),
    **{s: (_CELLS | {"tr"} | _SECTIONS, {"table"}) for s in _SECTIONS},
}  # later entries win: table parts and list items follow their own rules
_MAX_SPAN = 1000
# Tags nested deeper than this are ignored (their text stays, in order, in the element at this
# depth), so hostile nesting cannot exhaust the recursion that walks the tree.
_MAX_DEPTH = 200
_SPACE = re.compile(r"\s+")


@dataclass
class _Text:
    text: str
    line: int


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str | None]
    line: int
    children: list[_Element | _Text] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unclosed cells, rows and paragraphs close as browsers do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in _IMPLIED_END:
            closes, scope = _IMPLIED_END[tag]
            outermost = None  # a new row closes the open row, not just its last cell
            for depth in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[depth].tag
                if open_tag in scope:
                    break
                if open_tag in closes:
                    outermost = depth
            if outermost is not None:
                del self.stack[outermost:]
        if len(self.stack) >= _MAX_DEPTH:
            return
        element = _Element(tag, dict(attrs), self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
            if self.stack[depth].tag == "table":  # a stray end tag never leaves its table
                return

    def handle_data(self, data):
        self.stack[-1].children.append(_Text(_SPACE.sub(" ", data), self.getpos()[0]))


def read_html(path: Path, data: bytes) -> Content:
    builder = _TreeBuilder()
    builder.feed(decode_text(path, data))
    builder.close()
    return Content(_Walker(str(path)).blocks_of(builder.root))


def _text(element: _Element) -> str:
    """Rendered text of an element: block elements end lines, nested table cells are spaced."""
    parts: list[str] = []

    def visit(node: _Element | _Text) -> None:
        if isinstance(node, _Text):
            parts.append(node.text)
            return
        if node.tag in HIDDEN_TAGS:
            return
        boundary = "\n" if node.tag in BLOCK_TAGS else ""
        parts.append(boundary)
        for child in node.children:
            visit(child)
        parts.append(" " if node.tag in _CELLS else boundary)

    for child in element.children:
        visit(child)
    return tidy_lines("".join(parts))


def _descendants(element: _Element, tags: frozenset[str], stop: frozenset[str]):
    """Elements named in `tags` below `element`, not looking inside them or inside `stop`."""
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag in tags:
                yield child
            elif child.tag not in stop:
                yield from _descendants(child, tags, stop)


def _is_navigation(element: _Element) -> bool:
    """A menu of links (`<nav>`, a list whose every item is a link and nothing else) is the
    site's navigation, not the report's text: a link to 令和3年度の効果検証 dates nothing here."""
    if element.tag == "nav":
        return True
    if element.tag not in ("ul", "ol"):
        return False
    items = list(_descendants(element, frozenset({"li"}), frozenset({"ul", "ol"})))
    return bool(items) and all(_only_links(li) for li in items)


def _only_links(element: _Element) -> bool:
    links = list(_descendants(element, frozenset({"a"}), frozenset()))
    text = _text(element)
    return bool(links) and bool(text) and _SPACE.sub("", text) == _SPACE.sub("", "".join(_text(a) for a in links))


def _is_layout(table: _Element) -> bool:
    """A table that lays out a page (header, side menu, main column) rather than data: one of its
    cells holds a heading, or a table of its own with a header (`<th>`, `<caption>`), or more
    than one table, or a table with text beside it. Its cells are regions of the page, read in
    order; a data table that merely shows a small breakdown table in a cell stays one table."""
    return any(_is_region(td) for tr in _descendants(table, _ROW, _TABLE) for td in _descendants(tr, _CELLS, _TABLE))


def _is_region(cell: _Element) -> bool:
    if any(True for _ in _descendants(cell, _HEADINGS, _TABLE)):
        return True
    tables = list(_descendants(cell, _TABLE, frozenset()))
    headed = any(True for t in tables for _ in _descendants(t, frozenset({"th", "caption"}), _TABLE))
    return len(tables) > 1 or headed or (bool(tables) and _has_text_outside_tables(cell))


def _has_text_outside_tables(element: _Element) -> bool:
    """Text beside the tables of an element (a title in <b> over a table of plain cells)."""
    for child in element.children:
        if isinstance(child, _Text):
            if child.text.strip():
                return True
        elif child.tag not in _TABLE | HIDDEN_TAGS and _has_text_outside_tables(child):
            return True
    return False


def _span(element: _Element, name: str) -> int:
    try:
        return min(max(int(element.attrs.get(name) or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _width(spans: list[list[tuple[int, int]]]) -> int:
    """How wide a table is: as HTML lays it out, each row's own cells plus the columns that
    rowspans from above carry into it, unless that is more than twice what any row's own cells
    span, which only overlapping spans do (`rowspan="1000"` on every row, each pushing the next
    row right): then the widest row's own cells decide."""
    own = [sum(w for w, _ in row) for row in spans]
    carried = [0] * (len(spans) + 1)  # a difference array of the columns rowspans carry down
    for r, row in enumerate(spans):
        for w, h in row:
            carried[r + 1] += w
            carried[r + h] -= w
    laid_out, running = 0, 0
    for r, width in enumerate(own):
        running += carried[r]
        laid_out = max(laid_out, width + running)
    widest = max(own, default=0)
    return laid_out if laid_out <= 2 * widest else widest


class _Walker:
    """Document order: text outside tables becomes one `Line` per rendered line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.start: int | None = None
        self.tables = 0

    def blocks_of(self, root: _Element) -> list[Block]:
        self.visit(root)
        self.flush()
        return self.blocks

    def flush(self) -> None:
        text = tidy_lines("".join(self.parts))
        self.blocks.extend(Line(t, page=1, line=self.start) for t in text.split("\n") if t)
        self.parts.clear()
        self.start = None

    def visit(self, node: _Element | _Text) -> None:
        if isinstance(node, _Text):
            if self.start is None and node.text.strip():
                self.start = node.line
            self.parts.append(node.text)
        elif node.tag in HIDDEN_TAGS or _is_navigation(node):
            return
        elif node.tag == "table":
            self.visit_table(node)
        else:
            block = node.tag in BLOCK_TAGS
            if block:
                self.flush()
            for child in node.children:
                self.visit(child)
            if block:
                self.flush()

    def visit_table(self, node: _Element) -> None:
        """A data table, under its caption (its own heading, read as a line above it); or a
        layout table, whose cells are regions of the page, each read in order."""
        self.flush()
        if _is_layout(node):
            for tr in _descendants(node, _ROW, _TABLE):
                for td in _descendants(tr, _CELLS, _TABLE):
                    self.visit(td)
                    self.flush()  # a region's text ends with it
            return
        for caption in _descendants(node, frozenset({"caption"}), _TABLE):
            self.visit(caption)
        self.flush()
        table = self.table(node)
        if table.rows:
            self.blocks.append(table)

    def table(self, element: _Element) -> Table:
        self.tables += 1
        i = self.tables
        rows = [list(_descendants(tr, _CELLS, _TABLE)) for tr in _descendants(element, _ROW, _TABLE)]
        grid = _grid(rows, i, self.path)
        width = max((c for _, c in grid), default=-1) + 1
        if len(rows) * width > MAX_CELLS:
            raise DocumentError(
                self.path, f"table {i} has {len(rows):,} rows of {width:,} columns, more than {MAX_CELLS:,} cells"
            )
        texts = {id(td): _text(td) for cells in rows for td in cells}

        def cell(r: int, c: int) -> Cell:
            td = grid.get((r, c))
            ref = f"t{i}:r{r + 1}:c{c + 1}"
            return Cell("", ref=ref) if td is None else Cell(texts[id(td)], line=td.line, ref=ref)

        return Table([[cell(r, c) for c in range(width)] for r in range(len(rows))], page=1)


def _grid(rows: list[list[_Element]], table: int, path: str) -> dict[tuple[int, int], _Element]:
    """The cell at each position: a cell takes the first free position of its row and the
    positions its spans cover, clipped to the table (`_width`). A rowspan ends at the last row; a
    colspan covers at most as many columns as the widest row has cells. Where spans from above
    fill a row past the table's width (a broken table), the row's own cells take their places:
    no cell is lost."""
    widest = max((len(cells) for cells in rows), default=0)
    spans = [
        [(min(_span(td, "colspan"), widest), min(_span(td, "rowspan"), len(rows) - r)) for td in cells]
        for r, cells in enumerate(rows)
    ]
    if sum(w * h for row in spans for w, h in row) > MAX_CELLS:
        raise DocumentError(path, f"table {table}: its spans cover more than {MAX_CELLS:,} cells")
    width_limit = _width(spans)
    origin: dict[tuple[int, int], _Element] = {}
    for r, cells in enumerate(rows):
        own: set[int] = set()  # columns this row's own cells hold
        c = 0
        for td, (width, height) in zip(cells, spans[r], strict=True):
            while (r, c) in origin and c < width_limit:
                c += 1
            if c >= width_limit:  # the row's own cells never outnumber the limit, so a column is left
                c = next(x for x in range(width_limit) if x not in own)
            end = min(c + width, width_limit)
            origin.update(dict.fromkeys(((rr, cc) for rr in range(r, r + height) for cc in range(c, end)), td))
            own.update(range(c, end))
            c += width
    return origin
