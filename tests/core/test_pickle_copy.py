"""Pickled and copied graphs (issue 13, item 4): a graph travels whole, deep ones too, and
works in a new process, whose creation numbers and version stamps are its own."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import microgradnn as mg

_DUMP = """
import pickle, sys
import numpy as np
import microgradnn as mg
busy = [mg.Scalar(float(i)) for i in range(20000)]  # this process's counter runs far ahead
w = mg.Tensor(np.ones(3, np.float32), requires_grad=True, name="w")
with mg.no_grad():
    w += 1.0  # a version stamp from this process
x = mg.Tensor([1.0, 2.0, 3.0], requires_grad=True, name="x")
h = (x * 2.0).exp()
s = mg.Scalar(0.5, name="s")
u = s.tanh() * 3.0
with open(sys.argv[1], "wb") as f:
    pickle.dump({"w": w, "x": x, "h": h, "s": s, "u": u}, f)
"""

_LOAD = """
import pickle, sys
import numpy as np
import microgradnn as mg
with open(sys.argv[1], "rb") as f:
    d = pickle.load(f)
(d["h"] * 1.0).sum().backward()          # new nodes on top of an unpickled intermediate
print(d["x"].grad.tolist())
(d["u"] + 0.0).backward()
print(d["s"].grad)
(d["w"] * np.ones(3)).sum().backward()    # float32 leaf stamped by the other process
print(d["w"].grad.dtype, d["w"].grad.tolist())
"""


def test_unpickled_graph_backpropagates_in_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "graph.pkl"
    subprocess.run([sys.executable, "-c", _DUMP, str(path)], check=True)
    run = subprocess.run([sys.executable, "-c", _LOAD, str(path)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    x_grad, s_grad, w_line = run.stdout.strip().splitlines()
    expected = 2.0 * np.exp(2.0 * np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(eval(x_grad), expected, rtol=1e-12)
    assert float(s_grad) == pytest.approx(3.0 * (1.0 - np.tanh(0.5) ** 2), rel=1e-12)
    assert w_line == "float32 [1.0, 1.0, 1.0]"


def _chain(n: int) -> tuple[mg.Scalar, mg.Scalar]:
    x = mg.Scalar(1.0, name="x")
    c = x
    for _ in range(n):
        c = c * 1.0001 + 0.0
    return x, c


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_deep_graphs_pickle_and_deepcopy_without_recursion_error(how: str) -> None:
    x, root = _chain(5000)
    copied = pickle.loads(pickle.dumps(root)) if how == "pickle" else copy.deepcopy(root)
    assert copied is not root and copied.data == root.data
    order = mg.topological_order(copied)
    assert len(order) == len(mg.topological_order(root)) == 10001
    leaf = order[0]
    assert leaf.name == "x" and leaf is not x
    copied.backward()
    assert leaf.grad == pytest.approx(1.0001 ** 5000, rel=1e-9)
    assert x.grad is None  # the original graph is untouched


def test_deep_tensor_graph_pickles() -> None:
    t = mg.Tensor([1.0, 2.0], requires_grad=True)
    out = t
    for _ in range(3000):
        out = out * 1.0
    copied = pickle.loads(pickle.dumps(out))
    copied.sum().backward()
    leaf = mg.topological_order(copied)[0]
    np.testing.assert_array_equal(leaf.grad, [1.0, 1.0])


def test_nodes_pickled_together_keep_their_shared_identity() -> None:
    a = mg.Tensor([1.0, 2.0], requires_grad=True, name="a")
    b = a * 3.0
    c = b.exp()
    a2, b2, c2 = pickle.loads(pickle.dumps([a, b, c]))
    assert c2.parents == (b2,) and b2.parents[0] is a2
    c2.sum().backward()
    np.testing.assert_allclose(a2.grad, 3.0 * np.exp(3.0 * np.array([1.0, 2.0])))


def test_copy_of_a_node_is_a_new_node_with_the_same_edges() -> None:
    a = mg.Scalar(2.0, name="a")
    b = a * a
    b2 = copy.copy(b)
    assert b2 is not b and b2.parents == (a, a) and b2.data == 4.0
    b2.backward()
    assert a.grad == 4.0


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_copied_binary_ops_send_each_operand_its_own_gradient(how: str) -> None:
    """Both operands nodes, only the left, only the right, and one that needs no gradient:
    a copied graph's rules must still tell them apart (they did not, once: the marker of
    which operands are nodes was compared by identity and a copy made a new one)."""
    x = mg.Tensor([0.5, -1.0], requires_grad=True, name="x")
    w = mg.Tensor([2.0, 3.0], requires_grad=True, name="w")
    c = mg.Tensor([4.0, 5.0], name="c")  # a Tensor that needs no gradient
    out = ((x * w) + (x * 3.0) + (np.array([1.0, 7.0]) * w) + (c * x) + (w @ x)).sum()
    copied = pickle.loads(pickle.dumps(out)) if how == "pickle" else copy.deepcopy(out)
    leaves = {n.name: n for n in mg.topological_order(copied) if n.name}
    want = mg.grad(out, [x, w])
    got = mg.grad(copied, [leaves["x"], leaves["w"]])
    for g, expected in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, expected)


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_graph_whose_grads_are_graphs_copies_in_creation_order(how: str) -> None:
    """After backward(create_graph=True) each grad is a node built on the forward graph (e's
    derivative uses h itself): a copy must number every node after its parents, or the sweep
    takes a node before all of its children and gives a wrong gradient."""
    x = mg.Tensor([0.5, -1.0], requires_grad=True, name="x")
    h = x.exp()
    e = h.tanh()
    out = (np.concatenate([e, h]) * 1.0).sum()
    out.backward(create_graph=True)
    copied = pickle.loads(pickle.dumps(out)) if how == "pickle" else copy.deepcopy(out)
    order = mg.topological_order(copied)
    for node in order:
        assert all(p._order < node._order for p in node.parents), node.label()
    leaf = next(n for n in order if n.name == "x")
    np.testing.assert_array_equal(mg.grad(copied, [leaf])[0], mg.grad(out, [x])[0])
    np.testing.assert_array_equal(leaf.grad.data, x.grad.data)  # its grad came along, a graph
    assert leaf.grad.parents
