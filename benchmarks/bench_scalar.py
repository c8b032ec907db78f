"""Scalar engine vs micrograd 0.1.0 on micrograd's own demo, as ratios from one run.

Workload: MLP(2, [16, 16, 1]) on 100 two-moons points, SVM max-margin loss plus 1e-4·L2,
one forward and backward. Each engine is timed in its own fresh process (best of
``--repeat`` steps), in ``--rounds`` interleaved rounds (best kept); peak memory of one step
is measured with tracemalloc in a separate fresh process. Also: a 10^6-node chain and a
10^7-node chain, to show the sweep is linear.

    python benchmarks/bench_scalar.py            # prints a table; exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import tracemalloc
from functools import partial

from timing import best_time, rounds

TARGETS = {"op-by-op": 10.0, "Scalar.sum": 15.0, "Scalar.dot": 40.0}
MEMORY_TARGET = 0.5
CHAIN_TARGET = 12.0


def moons(n: int = 100, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.1, random_state=seed)
    return X.tolist(), (y * 2 - 1).astype(float).tolist()


def micrograd_model(seed: int):
    from micrograd.engine import Value
    from micrograd.nn import MLP

    random.seed(seed)
    return Value, MLP(2, [16, 16, 1])


def microgradnn_model(seed: int, variant: str):
    """micrograd's MLP, line for line, on mg.Scalar; only the neuron's sum changes."""
    from microgradnn import Scalar

    random.seed(seed)

    class Neuron:
        def __init__(self, nin: int, nonlin: bool = True) -> None:
            self.w = [Scalar(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = Scalar(0)
            self.nonlin = nonlin

        def __call__(self, x):
            if variant == "op-by-op":
                act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            elif variant == "Scalar.sum":
                act = Scalar.sum([*(wi * xi for wi, xi in zip(self.w, x)), self.b])
            else:
                act = Scalar.dot(self.w, x, self.b)
            return act.relu() if self.nonlin else act

        def parameters(self):
            return [*self.w, self.b]

    class Layer:
        def __init__(self, nin: int, nout: int, **kwargs) -> None:
            self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

        def __call__(self, x):
            out = [n(x) for n in self.neurons]
            return out[0] if len(out) == 1 else out

        def parameters(self):
            return [p for n in self.neurons for p in n.parameters()]

    class MLP:
        def __init__(self, nin: int, nouts: list[int]) -> None:
            sz = [nin, *nouts]
            self.layers = [Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1)
                           for i in range(len(nouts))]

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

        def parameters(self):
            return [p for layer in self.layers for p in layer.parameters()]

        def zero_grad(self):
            for p in self.parameters():
                p.grad = None

    return Scalar, MLP(2, [16, 16, 1])


def step(Value, model, X, y, summed: bool) -> float:
    """micrograd's demo loss(): forward, SVM max-margin loss + 1e-4·L2, then backward."""
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    if summed:
        data_loss = Value.sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * Value.sum([p * p for p in model.parameters()])
    else:
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    return total.data


def run_one(engine: str, repeat: int, memory: bool, data: str) -> dict:
    X, y = json.loads(data)
    if engine == "micrograd":
        Value, model = micrograd_model(seed=1337)
        summed = False
    else:
        Value, model = microgradnn_model(seed=1337, variant=engine)
        summed = engine != "op-by-op"
    if memory:
        tracemalloc.start()
        loss = step(Value, model, X, y, summed)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {"peak": peak, "loss": loss}
    losses: list[float] = []  # every step gives the same loss: the model does not change
    seconds = best_time(lambda: losses.append(step(Value, model, X, y, summed)), repeat)
    return {"seconds": seconds, "loss": losses[-1]}


def run_chain(n: int) -> dict:
    from microgradnn import Scalar

    x = Scalar(0.5, name="x")
    t0 = time.perf_counter()
    y = x
    for _ in range(n - 1):
        y = y * 1.0000001
    y.backward()
    return {"seconds": time.perf_counter() - t0, "grad": x.grad}


def fresh(*args: str) -> dict:
    """Run this script in a new interpreter; the data arrive on stdin, so the timed process
    imports only the engine it times (not scikit-learn)."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True, input=json.dumps(moons()))
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--chain", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=5, help="steps per process (best kept)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="fresh processes per engine, interleaved (best kept)")
    parser.add_argument("--long-chain", type=int, default=10_000_000,
                        help="length of the long chain (the short one is a tenth)")
    parser.add_argument("--chain-rounds", type=int, default=2,
                        help="fresh processes per chain length, interleaved (best kept)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.repeat, args.memory, sys.stdin.read())))
        return 0
    if args.chain:
        print(json.dumps(run_chain(args.chain)))
        return 0

    # Rounds interleave the engines, so a spell of load on a shared machine slows them alike;
    # each engine keeps its best step over all rounds.
    rep = str(args.repeat)
    engines = ["micrograd", *TARGETS]
    runs = rounds({engine: partial(fresh, "--one", engine, "--repeat", rep)
                   for engine in engines}, args.rounds)
    best = {engine: min(r, key=lambda run: run["seconds"]) for engine, r in runs.items()}
    base = best["micrograd"]
    base_mem = fresh("--one", "micrograd", "--memory")
    ok = True
    print(f"{'engine':<22}{'step (ms)':>11}{'speed-up':>10}{'target':>8}"
          f"{'peak MiB':>10}{'mem ratio':>11}")
    print(f"{'micrograd 0.1.0':<22}{base['seconds'] * 1e3:>11.1f}{1.0:>10.1f}{'':>8}"
          f"{base_mem['peak'] / 2**20:>10.1f}{1.0:>11.2f}")
    for variant, target in TARGETS.items():
        r = best[variant]
        m = fresh("--one", variant, "--memory")
        speed = base["seconds"] / r["seconds"]
        mem = m["peak"] / base_mem["peak"]
        if abs(r["loss"] - base["loss"]) > 1e-9 * max(1.0, abs(base["loss"])):
            print(f"! {variant}: loss {r['loss']} differs from micrograd's {base['loss']}")
            ok = False
        ok &= speed >= target and mem <= MEMORY_TARGET
        print(f"{'microgradnn ' + variant:<22}{r['seconds'] * 1e3:>11.1f}{speed:>10.1f}"
              f"{target:>7.0f}×{m['peak'] / 2**20:>10.1f}{mem:>11.2f}")
    short_n, long_n = args.long_chain // 10, args.long_chain
    chains = rounds({n: partial(fresh, "--chain", str(n)) for n in (short_n, long_n)},
                    args.chain_rounds)  # interleaved too: one slow spell hits both alike
    seconds = {n: min(r["seconds"] for r in results) for n, results in chains.items()}
    ratio = seconds[long_n] / seconds[short_n]
    ok &= ratio <= CHAIN_TARGET
    print(f"\nchain of {short_n:,} nodes: {seconds[short_n]:.2f} s; of {long_n:,}: "
          f"{seconds[long_n]:.2f} s; ratio {ratio:.1f} (target ≤ {CHAIN_TARGET:.0f})")
    print(f"memory target ≤ {MEMORY_TARGET}× micrograd's peak")
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
