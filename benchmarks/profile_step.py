"""Where the small step's time goes, op by op: the Tensor engine against the same NumPy work.

The step is bench_tensor.py's (b): 32×64 → 25 → 10, sigmoid, the course's cross-entropy from
logits. Each item is timed in place, in the order a step runs it (a clock read around each),
over ``--steps`` steps; the table shows each item's median in µs. Timed in isolation, a warm
op looks cheaper than it is inside a step, where each op's data and code compete for the
caches with the ops around it; in place, each measurement pays one clock read (about 0.05 µs).

- forward, per op: the engine's call (``X @ W1`` …) against a replay of the op table's
  forwards on the same arrays (the NumPy work), and a replay of the core's node constructor
  with the same arguments (node creation); the rest of the difference is the wrapper:
  operand coercion, the dtype and 0-d checks, choosing the rule. The last op, ``/ m``, also
  frees the previous step's graph, as a training loop does when its loss is replaced.
- backward, per node: its rule as the sweep calls it, against a replay of its VJPs alone on
  the same arrays; ``unbroadcast`` (the bias adds) alone; the rest is the rule's wrapper:
  the version and dtype checks, unpacking what the forward saved.
- the sweep: seed, topological order, and the loop itself (``backward()`` minus the rules,
  the order and the seed): adding contributions, the hook and anomaly checks, the leaves.

    python benchmarks/profile_step.py            # prints the table (µs per step)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_tensor import small_numpy
from threadpoolctl import threadpool_limits

import microgradnn as mg
from microgradnn.core import node_maker, rule_of, topological_order
from microgradnn.tensor import unbroadcast

Thunk = Callable[[], object]
clock = time.perf_counter_ns


def in_place(sequences: list[list[Thunk]], steps: int) -> list[list[float]]:
    """Run each sequence of thunks in order, a clock read around each thunk, all sequences
    one after another in every one of ``steps`` rounds (so a spell of load on the shared
    machine falls on all of them alike): the median µs of each thunk (the first tenth of the
    rounds warms up and is dropped)."""
    times: list[list[list[int]]] = [[[] for _ in thunks] for thunks in sequences]
    for _ in range(steps):
        for thunks, seen_of in zip(sequences, times):
            for thunk, seen in zip(thunks, seen_of):
                t0 = clock()
                thunk()
                seen.append(clock() - t0)
    skip = steps // 10
    return [[statistics.median(seen[skip:]) / 1e3 for seen in seen_of] for seen_of in times]


def saved_values(node: Any) -> tuple[Any, tuple, Any]:
    """(op entry, the forward's arguments as the node saved them, what it saved)."""
    rule, saved = rule_of(node)
    op = rule.__self__
    if len(saved) == 2:  # a unary op: (x, params)
        x, params = saved
        return op, (x, *params), saved
    x, y, _, _, _, params = saved
    return op, (x, y, *params), saved


def vjp_thunks(node: Any, g: Any) -> tuple[Thunk, Thunk | None]:
    """The node's VJPs on the same arrays without the wrapper, and its unbroadcasts alone
    (for an operand whose VJP result has the output's shape, not the operand's)."""
    op, _, saved = saved_values(node)
    ans = node.data
    if len(saved) == 2:
        x, params = saved
        vjp = op.vjps[0]
        return (lambda: vjp(g, ans, x, *params)), None
    x, y, sa, sb, _, params = saved
    calls = [(v, shape) for v, shape in zip(op.vjps, (sa, sb)) if shape is not None]
    work = [v for v, _ in calls if v.__name__ != "same"]

    def run() -> None:
        for v in work:
            v(g, ans, x, y, *params)

    results = [(g if v.__name__ == "same" else v(g, ans, x, y, *params), shape)
               for v, shape in calls]
    reduce = [(r, shape) for r, shape in results if np.shape(r) != shape]
    if not reduce:
        return run, None
    return run, lambda: [unbroadcast(r, shape) for r, shape in reduce]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args(argv)
    with threadpool_limits(limits=1, user_api="blas"):
        report(args.steps)
    return 0


def report(steps: int) -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((32, 64))
    Y = np.eye(10)[rng.integers(0, 10, 32)]
    arrays = [rng.uniform(-0.3, 0.3, s) for s in ((64, 25), (25,), (25, 10), (10,))]
    W1, b1, W2, b2 = params = [mg.Tensor(p, requires_grad=True) for p in arrays]
    m = X.shape[0]
    v: dict[str, Any] = {"kept": None}  # the forward's nodes by name, rebuilt by each round
    ops: list[tuple[str, str, Thunk]] = [
        ("X @ W1", "z2m", lambda: v.__setitem__("z2m", X @ W1)),
        ("+ b1", "z2", lambda: v.__setitem__("z2", v["z2m"] + b1)),
        ("sigmoid", "a2", lambda: v.__setitem__("a2", v["z2"].sigmoid())),
        ("@ W2", "z3m", lambda: v.__setitem__("z3m", v["a2"] @ W2)),
        ("+ b2", "z3", lambda: v.__setitem__("z3", v["z3m"] + b2)),
        ("softplus", "sp", lambda: v.__setitem__("sp", v["z3"].softplus())),
        ("sum", "s1", lambda: v.__setitem__("s1", v["sp"].sum())),
        ("Y * z3", "yz", lambda: v.__setitem__("yz", Y * v["z3"])),
        ("sum", "s2", lambda: v.__setitem__("s2", v["yz"].sum())),
        ("-", "d", lambda: v.__setitem__("d", v["s1"] - v["s2"])),
        ("/ m", "J", lambda: v.__setitem__("J", v["d"] / m)),
    ]
    for _, _, thunk in ops:
        thunk()
    nodes = [v[name] for _, name, _ in ops]
    J = v["J"]
    J.backward()
    make = node_maker(mg.Tensor, requires_grad=True)
    forwards, makes = [], []
    for node in nodes:
        op, args, saved = saved_values(node)
        rule = rule_of(node)[0]
        forwards.append(lambda op=op, args=args: op.forward(*args))
        makes.append(lambda node=node, rule=rule, saved=saved, parents=node.parents: make(
            node.data, node.op, parents, None, rule, saved))
    rules, vjps, unbroadcasts = [], [], []
    for node in reversed(nodes):
        rule, saved = rule_of(node)
        g, parents = node.grad, node.parents
        rules.append(lambda rule=rule, node=node, g=g, parents=parents, saved=saved: rule(
            node, g, parents, saved))
        run, unb = vjp_thunks(node, g)
        vjps.append(run)
        unbroadcasts.append(unb or (lambda: None))

    def zero() -> None:
        for p in params:
            p.zero_grad()

    (engine_fwd, numpy_fwd, make_fwd, rule_bwd, vjp_bwd, unb_bwd, (seed, topo, backward, zeroing),
     (engine_step, numpy_step), nothing) = in_place(
        [[thunk for _, _, thunk in ops], forwards, makes, rules, vjps, unbroadcasts,
         [J._seed, lambda: topological_order(J), J.backward, zero],
         [lambda: _step(X, Y, params), lambda: small_numpy(X, Y, arrays)],
         [lambda: None, lambda: v.__setitem__("kept", v["kept"])]],
        steps)
    nothing, keeping = nothing[0], nothing[1]
    # every item pays one clock read and a call, measured on an empty thunk and taken off; an
    # op of the engine's sequence also keeps its node in ``v``, measured and taken off too
    engine_fwd = [t - keeping for t in engine_fwd]
    numpy_fwd, make_fwd, rule_bwd, vjp_bwd = (
        [t - nothing for t in times] for times in (numpy_fwd, make_fwd, rule_bwd, vjp_bwd))
    unb_bwd = [max(t - nothing, 0.0) for t in unb_bwd]
    seed, topo, backward, zeroing = (t - nothing for t in (seed, topo, backward, zeroing))

    print(f"one BLAS thread, median of {steps} steps, in place; µs")
    print(f"small step: engine {engine_step:.1f}, hand-written NumPy {numpy_step:.1f} "
          f"(ratio {engine_step / numpy_step:.2f})")
    print()
    print(f"{'pass':9} {'op':9} {'engine':>7} {'NumPy':>7} {'extra':>7}   of which")
    for (label, _, _), te, tn, tm in zip(ops, engine_fwd, numpy_fwd, make_fwd):
        print(f"{'forward':9} {label:9} {te:7.2f} {tn:7.2f} {te - tn:7.2f}   node {tm:.2f}")
    for (label, _, _), tr, tv, tu in zip(reversed(ops), rule_bwd, vjp_bwd, unb_bwd):
        tu = tu if tu > 0.05 else 0.0  # (no unbroadcast: an empty thunk)
        print(f"{'backward':9} {label:9} {tr:7.2f} {tv + tu:7.2f} {tr - tv - tu:7.2f}"
              + (f"   unbroadcast {tu:.2f}" if tu else ""))
    print()
    unb_total = sum(t for t in unb_bwd if t > 0.05)
    summary = [
        ("forward: the ops' NumPy work", sum(numpy_fwd)),
        ("forward: node creation (the core's constructor)", sum(make_fwd)),
        ("forward: wrapper (operand coercion, dtype/0-d checks, rule choice)",
         sum(engine_fwd) - sum(numpy_fwd) - sum(make_fwd)),
        ("backward: the VJPs' NumPy work", sum(vjp_bwd)),
        ("backward: unbroadcast (Σ over the batch for b1, b2)", unb_total),
        ("backward: rule wrapper (version/dtype checks, unpacking)",
         sum(rule_bwd) - sum(vjp_bwd) - unb_total),
        ("backward: seed", seed),
        ("backward: topological order", topo),
        ("backward: sweep loop (accumulate, hook/anomaly checks, leaves' grads)",
         backward - seed - topo - sum(rule_bwd)),
        ("zero_grad of the 4 parameters", zeroing),
    ]
    for label, t in summary:
        print(f"{label:72} {t:6.2f}")
    print(f"{'sum of the rows':72} {sum(t for _, t in summary):6.2f}")


def _step(X: np.ndarray, Y: np.ndarray, params: list[mg.Tensor]) -> None:
    W1, b1, W2, b2 = params
    z3 = (X @ W1 + b1).sigmoid() @ W2 + b2
    J = (z3.softplus().sum() - (Y * z3).sum()) / X.shape[0]
    for p in params:
        p.zero_grad()
    J.backward()


if __name__ == "__main__":
    sys.exit(main())
