"""Plain-text tables for the terminal: the one formatter behind every printed table
(the CLI's node table, the demo's δ table, ``Comparison``'s str())."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["text_table"]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """Columns padded to their widest cell, a rule of dashes under the header.

    ``align`` has one letter per column, "l" or "r" (columns it does not cover are left
    aligned); trailing spaces are stripped.
    """
    cells = [tuple(header), *(tuple(row) for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    right = [i < len(align) and align[i] == "r" for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w)
                         for c, w, r in zip(row, widths, right)).rstrip()

    lines = [line(row) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
