"""Scalar expressions from text, for ``microgradnn render "tanh(x*w + b)" --var x=2 ...``.

The text is parsed with :mod:`ast` and evaluated by walking the tree against a whitelist of
operators and functions; nothing is ever passed to ``eval``. Every named intermediate node
gets its source text as its name, so a drawing reads like the expression.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Mapping
from typing import Any

from ..scalar import Scalar

__all__ = ["FUNCTIONS", "ExpressionError", "evaluate"]

FUNCTIONS: dict[str, Callable[[Scalar], Scalar]] = {
    "exp": Scalar.exp,
    "log": Scalar.log,
    "sqrt": Scalar.sqrt,
    "tanh": Scalar.tanh,
    "sigmoid": Scalar.sigmoid,
    "relu": Scalar.relu,
    "abs": Scalar.abs,
}

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Scalar]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


# operators a user may try that are not allowed, by the symbol they typed
_SYMBOLS: dict[type[ast.operator], str] = {
    ast.BitXor: "^", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&",
    ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>",
}


class ExpressionError(ValueError):
    """A malformed or unsupported expression; the message points at the column."""

    def __init__(self, text: str, column: int, message: str) -> None:
        self.text, self.column = text, column
        pointer = " " * column + "^"
        super().__init__(f"{message} (column {column + 1})\n  {text}\n  {pointer}")


# A long sum such as x*x + x*x + ... is a left-nested tree as deep as it has terms; the
# parser and the tree walk recurse once per level (ast.unparse three times), so they get
# room for this many levels and anything deeper is a clear error, never a RecursionError.
MAX_DEPTH = 3000


def evaluate(text: str, variables: Mapping[str, float]) -> Scalar:
    """Build the Scalar graph of ``text`` with the given variable values; return its root.

    Allowed: numbers, variables, ``+ - * / **``, unary minus and the functions in
    :data:`FUNCTIONS`. Each variable becomes one leaf, shared by all its uses.
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_DEPTH + 200))
    try:
        return _evaluate(text, variables)
    except (RecursionError, MemoryError):
        source = text.strip()
        raise ExpressionError(source, 0, f"the expression is nested too deeply (more than "
                                         f"about {MAX_DEPTH:,} levels); split it into "
                                         "smaller expressions") from None
    finally:
        sys.setrecursionlimit(limit)


def _evaluate(text: str, variables: Mapping[str, float]) -> Scalar:
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        column = max((error.offset or 1) - 1, 0)
        raise ExpressionError(source, column, f"syntax error: {error.msg}") from None
    leaves = {name: Scalar(value, name=name) for name, value in variables.items()}
    used: set[str] = set()

    def build(node: ast.AST) -> Scalar | float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in leaves:
                known = ", ".join(sorted(leaves)) or "none given"
                raise ExpressionError(source, node.col_offset,
                                      f"unknown variable {node.id!r} (variables: {known}; "
                                      f"give it a value with --var {node.id}=...)")
            used.add(node.id)
            return leaves[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = build(node.left), build(node.right)
            if not isinstance(left, Scalar) and not isinstance(right, Scalar):
                return float(_BINARY[type(node.op)](Scalar(left), right).data)
            out = _BINARY[type(node.op)](left, right)
            return _named(out, node, source)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = build(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            return _named(-operand, node, source) if isinstance(operand, Scalar) else -operand
        if isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
                name = func.id if isinstance(func, ast.Name) else ast.unparse(func)
                raise ExpressionError(source, node.col_offset,
                                      f"unknown function {name!r} (allowed: "
                                      f"{', '.join(sorted(FUNCTIONS))})")
            if len(node.args) != 1 or node.keywords:
                raise ExpressionError(source, node.col_offset,
                                      f"{func.id}() takes exactly one argument")
            arg = build(node.args[0])
            scalar = arg if isinstance(arg, Scalar) else Scalar(arg)
            return _named(FUNCTIONS[func.id](scalar), node, source)
        what = type(node).__name__
        if isinstance(node, ast.BinOp):
            what = f"operator {type(node.op).__name__}"
            if type(node.op) in _SYMBOLS:
                what += f" ({_SYMBOLS[type(node.op)]})"
            if isinstance(node.op, ast.BitXor):
                what += ": for a power write **, as in x**2"
        raise ExpressionError(source, getattr(node, "col_offset", 0),
                              f"unsupported syntax: {what} (allowed: numbers, variables, "
                              "+ - * / **, and " + ", ".join(sorted(FUNCTIONS)) + ")")

    root = build(tree.body)
    if not isinstance(root, Scalar):
        root = Scalar(root, name=source)
    unused = sorted(set(leaves) - used)
    if unused:
        raise ExpressionError(source, 0, f"variable(s) {', '.join(unused)} given but not used "
                                         "in the expression")
    return root


NAME_LENGTH = 60  # longer sub-expressions are named by their two ends around " … "


def _named(out: Scalar, node: ast.AST, source: str) -> Scalar:
    """Name a node by its source text: ``ast.unparse`` when short, else the first and last
    characters of its span (unparsing every node of a long sum would take quadratic time)."""
    start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if start is None or end is None or "\n" in source or not source.isascii() \
            or end - start <= NAME_LENGTH:
        out.name = ast.unparse(node)
    else:  # column offsets count UTF-8 bytes: equal to characters for ASCII source
        out.name = f"{source[start:start + 40].rstrip()} … {source[end - 16:end].lstrip()}"
    return out
