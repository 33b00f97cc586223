"""Jupyter notebooks: the code of their code cells, read as data (never run)."""

from __future__ import annotations

from oscheck import safeparse


def code_cells(data: str | bytes) -> list[str] | None:
    """The source of each code cell in order; ``None`` when ``data`` is not a notebook at all.

    Every type in the file is the author's choice: a ``source`` list may hold numbers, a cell
    may be a string. What is not text is left out rather than trusted.
    """
    try:
        doc = safeparse.load_json(data)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    cells = doc.get("cells")
    out: list[str] = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            out.append("".join(s for s in source if isinstance(s, str)))
        elif isinstance(source, str):
            out.append(source)
    return out
