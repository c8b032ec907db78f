"""The ``microgradnn`` command (also ``python -m microgradnn``).

    microgradnn demo   [--out DIR] [--format tex]       the lecture's network, every δ four ways
    microgradnn check  [--sizes 3 5 3] [-m 5] [--lam 3] the course's gradient check
    microgradnn render EXPR --var x=2 ... [-o FILE]     draw any scalar expression with its δ's
    microgradnn train digits [--hidden 25] ...          the course's network on real digits
    microgradnn grade PATH [--convention ...] [--json]  grade a learner's nnCostFunction

Usage errors (unknown options, malformed expressions, bad values, an output that cannot be
written) print one line to stderr and exit with status 2; a failed check exits with 1.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import Scalar, __version__, topological_order
from ..table import text_table
from .expr import FUNCTIONS

USAGE_ERROR = 2
PROGRESS_FROM = 20_000  # weights × examples past which `check` shows a progress bar (~1 s)
DIGITS_TRAINING_EXAMPLES = 1258  # 70% of scikit-learn's 1797 digits


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


def node_table(root: Scalar) -> str:
    """Every node of root's graph, parents first: name, op, value and δ = ∂root/∂node."""
    rows = [(node.label(), node.op or "leaf", f"{node.data:.6f}",
             "—" if node.grad is None else f"{node.grad:.6f}")
            for node in topological_order(root)]
    return text_table(("node", "op", "value", "grad (δ)"), rows, align="llrr")


def _writable_dir(path: Path, option: str = "--out") -> Path:
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {str(path)!r} is a file; expected a directory to write "
                         "into")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".microgradnn-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"cannot write to {option} {str(path)!r}: "
                         f"{error.strerror or error}") from None
    return path


def _lam(value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"--lam must be >= 0 and finite, got {value}")
    return value


def _needs_dot(what: str) -> None:
    """Refuse before writing anything when Graphviz's dot, which draws, is missing."""
    if shutil.which("dot") is None:
        raise UsageError(f"{what} needs Graphviz's `dot` to draw, and it is not on PATH; "
                         "install Graphviz (apt-get install graphviz, brew install graphviz)")


def _fits(sizes: Sequence[int], m: int, what: str) -> None:
    """Refuse, with the numbers, a network that could never fit in memory."""
    from ..nn.footprint import available_bytes, estimate_bytes, human_bytes, weight_count

    need, have = estimate_bytes(sizes, m), available_bytes()
    if have is not None and need > have:
        raise UsageError(f"{what} needs about {human_bytes(need)} of memory "
                         f"({weight_count(sizes):,} weights, m = {m:,}) but "
                         f"{human_bytes(have)} is available; use fewer units or examples")


# ----------------------------------------------------------------------------- commands
def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import lecture_demo

    _needs_dot("demo")
    out = _writable_dir(args.out)
    return 0 if lecture_demo(out, tex=args.format == "tex") else 1


def cmd_check(args: argparse.Namespace) -> int:
    import numpy as np

    from ..nn import check_gradients
    from ..nn.course import CHECK_ENGINES, CHECK_TOLERANCE
    from ..nn.scalar_engine import SCALAR_EDGE_LIMIT

    if len(args.sizes) < 2:
        raise UsageError(f"--sizes needs at least two layers (input and output), got one: "
                         f"{args.sizes[0]}")
    if any(s < 1 for s in args.sizes) or args.m < 1:
        raise UsageError("--sizes and -m must be positive integers")
    _lam(args.lam)
    _fits(args.sizes, args.m, f"check --sizes {' '.join(map(str, args.sizes))} -m {args.m}")
    weights = sum(b * (a + 1) for a, b in zip(args.sizes, args.sizes[1:]))
    engines = [e for e in CHECK_ENGINES
               if e != "scalar" or 2 * args.m * weights <= SCALAR_EDGE_LIMIT]
    if "scalar" not in engines:
        print(f"(the scalar engine is left out: {weights:,} weights × m = {args.m} would make "
              f"a graph of more than {SCALAR_EDGE_LIMIT:,} edges)\n")
    # central differences cost two J per weight: show progress past a few seconds' worth
    result = check_gradients(args.lam, sizes=args.sizes, m=args.m, engines=engines,
                             progress=weights * args.m > PROGRESS_FROM)
    relative = result.relative("numerical", "D unrolled")
    print(result)
    ok = relative < CHECK_TOLERANCE  # the course's criterion decides; the rows agree with it
    bar = np.format_float_scientific(CHECK_TOLERANCE, trim="-", exp_digits=1)  # "1e-9"
    print(f"\nrelative difference norm(num − grad)/norm(num + grad) = {relative:.3e}: "
          f"{'PASS' if ok else 'FAIL'} (must be < {bar})")
    return 0 if ok else 1


def _variables(pairs: Sequence[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--var expects NAME=NUMBER, got {pair!r}")
        if name in values:
            raise UsageError(f"--var {name} is given twice; give each variable once")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"--var {name}: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise UsageError(f"--var {name}: {text.strip()!r} is not a finite number")
        values[name] = value
    return values


def _dpi(text: str) -> float:
    from ..viz.dot import check_dpi  # the drawings' own rule for a resolution

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dpi expects a number, got {text!r}") from None
    try:
        return check_dpi(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dpi must be in 10..1200, got {text}") from None


def cmd_render(args: argparse.Namespace) -> int:
    from .expr import ExpressionError, evaluate

    if args.output is not None:
        suffix = args.output.suffix.lower().lstrip(".")
        if suffix not in {"svg", "png", "pdf", "dot", "tex"}:
            raise UsageError(f"-o {str(args.output)!r}: the suffix must be .svg, .png, .pdf, "
                             ".dot or .tex")
        _writable_dir(args.output.parent, "-o")
        if suffix != "dot":
            _needs_dot(f"render -o {args.output.name}")
    try:
        root = evaluate(args.expression, _variables(args.var))
    except ExpressionError as error:
        raise UsageError(str(error)) from None
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        raise UsageError(f"cannot evaluate {args.expression!r}: {error}") from None
    root.backward()
    print(node_table(root))
    if args.output is not None:
        from ..viz import draw_graph
        from ..viz.render import LayoutTimeout

        try:
            draw_graph(root).render(outfile=args.output, dpi=args.dpi)
        except (ValueError, LayoutTimeout) as error:  # too big to draw, or dot too slow
            raise UsageError(f"cannot draw {args.output}: {error}") from None
        print(f"\nwrote {args.output}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .digits import save_hidden_units, train_digits

    if args.hidden < 1 or args.maxiter < 1:
        raise UsageError("--hidden and --maxiter must be positive integers")
    _lam(args.lam)
    _fits([64, args.hidden, 10], DIGITS_TRAINING_EXAMPLES, f"train digits --hidden {args.hidden}")
    out = _writable_dir(args.out)
    result = train_digits(hidden=args.hidden, lam=args.lam, method=args.method,
                          maxiter=args.maxiter, progress=not args.quiet)
    print(result.summary())
    save_hidden_units(result.net, out / "hidden_units.png")
    result.net.save(out / "weights.npz")
    print(f"\nwrote {out / 'hidden_units.png'} and {out / 'weights.npz'}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from ..nn.grader.command import run_grade

    out = _writable_dir(args.out) if args.out is not None else None
    try:
        return run_grade(args.target, convention=args.convention, order=args.order,
                         labels=args.labels, as_json=args.json, out=out, timeout=args.timeout)
    except ValueError as error:  # GradeUsageError and bad arguments: one line, exit 2
        raise UsageError(str(error).removeprefix("grade: ")) from None


# ------------------------------------------------------------------------------ parser
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no traceback
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="microgradnn",
        description="See and check backpropagation: computation graphs with δ on every node, "
                    "in the notation of Andrew Ng's Machine Learning course.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=_Parser)

    demo = sub.add_parser(
        "demo", help="the lecture's 2-2-2-1 network: forward pass, every δ four ways, pictures",
        description="Forward and back through the lecture's 2-2-2-1 network on one example; "
                    "print every δ_j^(l) by hand-coded backprop, the tensor engine, the scalar "
                    "engine and central differences; run the course's gradient check; write "
                    "network.svg, delta_2_2.svg, graph.svg and backward.html. Exit 0 when all "
                    "agree.")
    demo.add_argument("--out", type=Path, default=Path("out/demo"), metavar="DIR",
                      help="where to write the pictures (default: out/demo)")
    demo.add_argument("--format", choices=["svg", "tex"], default="svg",
                      help="svg (default) or tex: also write network.tex, delta_2_2.tex, "
                           "graph.tex and sweep.tex (TikZ/Beamer) beside the SVGs")
    demo.set_defaults(run=cmd_demo)

    check = sub.add_parser(
        "check", help="the course's gradient check (checkNNGradients)",
        description="Backprop against central differences on a network with the course's "
                    "debug weights and data; exit 1 if the relative difference is ≥ 1e-9.")
    check.add_argument("--sizes", type=int, nargs="+", default=[3, 5, 3], metavar="S",
                       help="units per layer, input first (default: 3 5 3)")
    check.add_argument("-m", type=int, default=5, help="number of examples (default: 5)")
    check.add_argument("--lam", type=float, default=0.0, help="λ, regularisation (default: 0)")
    check.set_defaults(run=cmd_check)

    render = sub.add_parser(
        "render", help="draw a scalar expression with the δ of every node",
        description=f"Parse EXPR (numbers, variables, + - * / **, {' '.join(FUNCTIONS)}), "
                    "run backward, print every node's value and δ, and draw it.",
        epilog='example: microgradnn render "tanh(x*w + b)" --var x=2 --var w=-3 '
               "--var b=6.88 -o graph.svg")
    render.add_argument("expression", metavar="EXPR")
    render.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable's value (repeat for each variable)")
    render.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the drawing (.svg, .png, .pdf, .dot, or .tex for LaTeX/TikZ)")
    render.add_argument("--dpi", type=_dpi, default=192.0, metavar="N",
                        help="pixels per inch of a .png (default: 192, sharp on a slide)")
    render.set_defaults(run=cmd_render)

    train = sub.add_parser(
        "train", help="train the course's network on scikit-learn's digits",
        description="Train a 64-H-10 network (the course's cost, SciPy's optimiser) on a "
                    "stratified 70/30 split of scikit-learn's 8×8 digits, beside "
                    "scikit-learn's MLPClassifier; write the hidden units' weights as images "
                    "and the weights as .npz.")
    train.add_argument("dataset", choices=["digits"], help="the data set (digits)")
    train.add_argument("--hidden", type=int, default=25, help="hidden units (default: 25)")
    train.add_argument("--lam", type=float, default=1.0, help="λ (default: 1)")
    train.add_argument("--method", default="L-BFGS-B", choices=["L-BFGS-B", "CG"],
                       help="SciPy optimiser (default: L-BFGS-B)")
    train.add_argument("--maxiter", type=int, default=100, help="iterations (default: 100)")
    train.add_argument("--out", type=Path, default=Path("out/digits"), metavar="DIR",
                       help="where to write hidden_units.png and weights.npz")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=cmd_train)

    grade = sub.add_parser(
        "grade", help="grade a learner's own nnCostFunction (.m in Octave, or Python)",
        description="Run your nnCostFunction (an .m file in GNU Octave, or 'file.py:function') "
                    "on the course's check cases and compare J and every D^(l) with "
                    "autodiff; when it is wrong, name the first wrong Θ entry, the step of "
                    "the δ recurrence to look at and the likely mistake. Exit 0 correct, "
                    "1 wrong, 2 usage error, 3 could not run (Octave missing, timeout, "
                    "crash).")
    grade.add_argument("target", metavar="PATH", help="nnCostFunction.m or file.py:function")
    grade.add_argument("--convention", default="auto", choices=["auto", "octave", "numpy"],
                       help="octave = column-major with labels 1..K, numpy = row-major with "
                            "0..K-1 (default: auto, found from the function)")
    grade.add_argument("--order", choices=["F", "C"], help="unrolling order of nn_params "
                       "and grad: F column-major (Theta1(:)), C row-major (ravel())")
    grade.add_argument("--labels", type=int, choices=[1, 0], help="label base of y: 1 (1..K) "
                       "or 0 (0..K-1)")
    grade.add_argument("--json", action="store_true", help="print the report as JSON")
    grade.add_argument("--out", type=Path, metavar="DIR",
                       help="write the network pictures with your δ on every unit (SVG)")
    grade.add_argument("--timeout", type=float, default=60.0,
                       help="seconds before the run is stopped (default: 60)")
    grade.set_defaults(run=cmd_grade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
