"""Tensor's rules where the op table does not reach: constant operands and broadcasting,
every matmul layout, the edges of clip/relu/abs/max, reductions over chosen axes, joins with
constants. The array-like protocol is in test_tensor_protocol.py; what a node records and
reports (in-place updates and versions, op names, error messages) in test_tensor_records.py.
Numbers are worked out by hand (or by PyTorch's documented rule) in each test."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_helpers import T, message

import microgradnn as mg
from microgradnn.tensor import unbroadcast


# --------------------------------------------------------------------------- operands
def test_constant_operands_of_every_kind() -> None:
    x = T([1.0, 2.0])
    assert (x + True).data.tolist() == [2.0, 3.0]
    assert (x * [3, 4]).data.tolist() == [3.0, 8.0]
    assert ((1, 1) - x).data.tolist() == [0.0, -1.0]
    assert (x / np.float64(2.0)).data.tolist() == [0.5, 1.0]
    assert (np.array([2, 2]) ** x).data.tolist() == [2.0, 4.0]
    assert (x * np.array([1.0, 2.0], dtype=np.float32)).dtype == np.float64
    with pytest.raises(TypeError) as info:
        x + "a"
    assert message(info) == ("+: unsupported operand 'a' of type str; expected a Tensor, "
                             "a real number or an array of real numbers")
    with pytest.raises(ValueError) as info:
        x + mg.Tensor([1.0, 2.0, 3.0], name="y")
    assert message(info) == ("+: shapes (2,) (<leaf>) and (3,) (y) do not broadcast — "
                             "expected equal sizes, or 1, in each trailing dimension")
    with pytest.raises(ValueError) as info:
        np.ones(3) * x
    assert message(info).startswith("*: shapes (3,) (constant) and (2,) (<leaf>)")


def test_broadcast_gradients_sum_back_to_each_shape() -> None:
    bias = T([1.0, 2.0, 3.0])
    col = T([[1.0], [2.0]])
    batch = T(np.ones((4, 2, 3)))
    out = batch * col + bias
    out.backward(gradient=np.ones((4, 2, 3)))
    assert bias.grad.tolist() == [8.0, 8.0, 8.0]
    assert col.grad.tolist() == [[12.0], [12.0]]
    assert batch.grad[0].tolist() == [[1.0] * 3, [2.0] * 3]
    b2 = T([[1.0, 2.0]])  # shape (1, 2) against (3, 2): summed over the axis of size 1
    z = mg.Tensor(np.arange(6.0).reshape(3, 2)) - b2
    z.backward(gradient=np.ones((3, 2)))
    assert b2.grad.tolist() == [[-3.0, -3.0]]
    row = T([1.0, 1.0])  # the bias fast path: (m, n) gradient to (n,)
    (mg.Tensor(np.arange(6.0).reshape(3, 2)) * row).sum().backward()
    assert row.grad.tolist() == [6.0, 9.0]
    assert unbroadcast(np.ones((2, 3)), (2, 3)).shape == (2, 3)
    assert unbroadcast(np.ones((5, 2, 3)), (1, 3)).tolist() == [[10.0, 10.0, 10.0]]


def test_binary_rules_with_one_side_constant() -> None:
    a = T([2.0, 4.0])
    for make, expected in [
        (lambda: a - 1.0, [1.0, 1.0]), (lambda: 1.0 - a, [-1.0, -1.0]),
        (lambda: a / 2.0, [0.5, 0.5]), (lambda: 8.0 / a, [-2.0, -0.5]),
        (lambda: 3.0 * a, [3.0, 3.0]), (lambda: -a, [-1.0, -1.0]),
        (lambda: 2.0 + a, [1.0, 1.0]), (lambda: +a, [1.0, 1.0]),
    ]:
        a.zero_grad()
        make().sum().backward()
        assert a.grad.tolist() == expected
    b = T([1.0, 2.0])
    (a / b).sum().backward()
    assert b.grad.tolist() == [-2.0, -1.0]  # -a/b²


def test_powers_with_number_and_tensor_exponents() -> None:
    x = T([0.0, 2.0, 3.0])
    for n, value, slope in [
        (2, [0.0, 4.0, 9.0], [0.0, 4.0, 6.0]),
        (3, [0.0, 8.0, 27.0], [0.0, 12.0, 27.0]),
        (0, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
        (1.0, [0.0, 2.0, 3.0], [1.0, 1.0, 1.0]),
    ]:
        x.zero_grad()
        out = x**n
        out.sum().backward()
        assert out.data.tolist() == value and x.grad.tolist() == slope, n
    base, e = T([0.0, 2.0]), T([2.0, 3.0])
    out = base**e
    out.sum().backward()
    assert out.data.tolist() == [0.0, 8.0]
    assert base.grad.tolist() == [0.0, 12.0]
    assert e.grad.tolist() == pytest.approx([0.0, 8.0 * np.log(2.0)], rel=1e-15)
    with pytest.raises(ValueError) as info:
        mg.Tensor([-1.0], name="neg") ** T([2.0], name="p")
    assert message(info) == ("**: base neg has negative entries; a Tensor exponent (p) needs "
                             "a base >= 0, since ∂(a^b)/∂b = a^b·ln a")
    assert (mg.Tensor([-2.0]) ** mg.Tensor([2.0])).data.tolist() == [4.0]  # no grad wanted


# --------------------------------------------------------------------------- matmul layouts
@pytest.mark.parametrize(("sa", "sb"), [((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)),
                                         ((4, 2, 3), (3, 2)), ((2, 3), (4, 3, 2)),
                                         ((2, 3), (3, 2)), ((12, 3), (3, 2))])
def test_matmul_gradients_for_every_layout(sa: tuple, sb: tuple) -> None:
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=sa), rng.normal(size=sb)
    a, b = T(A), T(B)
    out = a @ b
    assert np.allclose(out.data, A @ B, rtol=1e-14, atol=1e-14)
    G = rng.normal(size=np.shape(A @ B))
    out.backward(gradient=G)
    # each entry's derivative by perturbing it: matmul is linear in each operand
    for X, x in ((A, a), (B, b)):
        expected = np.zeros_like(X)
        for i in np.ndindex(X.shape):
            E = np.zeros_like(X)
            E[i] = 1.0
            expected[i] = np.sum(G * ((E @ B) if X is A else (A @ E)))
        assert np.allclose(x.grad, expected, rtol=1e-12, atol=1e-12)
    c = mg.Tensor(A)  # a constant on one side: only the other gets a gradient
    b.zero_grad()
    (c @ b).backward(gradient=G)
    assert np.allclose(b.grad, A.T @ G if A.ndim == 2 and B.ndim == 2 else b.grad)
    assert c.grad is None


def test_matmul_errors_name_shapes_and_nodes() -> None:
    a, b = mg.Tensor(np.ones((2, 3)), name="a"), mg.Tensor(np.ones((2, 3)), name="b")
    with pytest.raises(ValueError) as info:
        a @ b
    assert message(info) == ("matmul: (2, 3) @ (2, 3) — inner dimensions 3 and 2 differ "
                             "(a @ b)")
    with pytest.raises(ValueError) as info:
        a @ mg.Tensor(2.0, name="s")
    assert message(info) == ("matmul: (2, 3) @ () — both operands need at least one "
                             "dimension (a @ s)")
    with pytest.raises(ValueError) as info:
        mg.Tensor(np.ones((2, 2, 3)), name="p") @ mg.Tensor(np.ones((3, 3, 1)), name="q")
    assert message(info) == ("matmul: (2, 2, 3) @ (3, 3, 1) — batch dimensions (2,) and (3,) "
                             "do not broadcast (p @ q)")
    with pytest.raises(ValueError, match=r"inner dimensions 3 and 4 differ \(a @ constant\)"):
        a @ np.ones(4)


# --------------------------------------------------------------------------- joins, where, max
def test_concatenate_and_stack_with_constants_in_between() -> None:
    a, b = T([[1.0, 2.0]]), T([[3.0], [4.0]])
    out = mg.concatenate([a.T, np.zeros((2, 1)), b], axis=-1)
    assert out.data.tolist() == [[1.0, 0.0, 3.0], [2.0, 0.0, 4.0]]
    out.backward(gradient=np.array([[1.0, 9.0, 2.0], [3.0, 9.0, 4.0]]))
    assert a.grad.tolist() == [[1.0, 3.0]] and b.grad.tolist() == [[2.0], [4.0]]
    c, d = T([1.0, 2.0]), mg.Tensor([5.0, 6.0])
    s = mg.stack([d, c, [0.0, 0.0]], axis=1)
    assert s.data.tolist() == [[5.0, 1.0, 0.0], [6.0, 2.0, 0.0]]
    s.backward(gradient=np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    assert c.grad.tolist() == [2.0, 5.0] and d.grad is None
    with pytest.raises(ValueError) as info:
        mg.concatenate([mg.Tensor(np.ones((2, 2)), name="p"), np.ones((3, 3))], axis=0)
    assert message(info).startswith("concatenate: shapes (2, 2) (p), (3, 3) (constant) do not "
                                    "join along axis 0; expected equal sizes except on that "
                                    "axis (")
    with pytest.raises(ValueError) as info:
        mg.stack([mg.Tensor([1.0], name="p"), [1.0, 2.0]])
    assert message(info).startswith("stack: shapes (1,) (p), (2,) (constant) cannot be "
                                    "stacked along axis 0; expected equal shapes (")


def test_where_and_maximum_route_the_gradient() -> None:
    a, b = T([1.0, 5.0, 3.0]), T([2.0, 4.0, 3.0])
    w = mg.where(np.array([True, False, True]), a, b)
    assert w.data.tolist() == [1.0, 4.0, 3.0]
    w.backward(gradient=np.array([1.0, 2.0, 3.0]))
    assert a.grad.tolist() == [1.0, 0.0, 3.0] and b.grad.tolist() == [0.0, 2.0, 0.0]
    a.zero_grad(), b.zero_grad()
    m = mg.maximum(a, b)
    assert m.data.tolist() == [2.0, 5.0, 3.0]
    m.backward(gradient=np.array([1.0, 2.0, 4.0]))
    assert a.grad.tolist() == [0.0, 2.0, 2.0] and b.grad.tolist() == [1.0, 0.0, 2.0]
    a.zero_grad()
    mg.where(mg.Tensor([1.0, 0.0, 1.0]), a, 0.0).sum().backward()  # a Tensor condition: its data
    assert a.grad.tolist() == [1.0, 0.0, 1.0]
    with pytest.raises(ValueError) as info:
        mg.where(np.ones(2, dtype=bool), mg.Tensor([1.0, 2.0, 3.0], name="p"), 0.0)
    assert message(info) == "where: condition (2,), (3,) (p) and () (constant) do not broadcast"


# --------------------------------------------------------------------------- one-input ops
def test_kinks_follow_pytorch() -> None:
    x = T([-1.0, 0.0, 2.0])
    for op, value, slope in [
        ("relu", [0.0, 0.0, 2.0], [0.0, 0.0, 1.0]),
        ("abs", [1.0, 0.0, 2.0], [-1.0, 0.0, 1.0]),
    ]:
        x.zero_grad()
        out = getattr(x, op)()
        out.sum().backward()
        assert out.data.tolist() == value and x.grad.tolist() == slope, op
    x.zero_grad()
    abs(x).sum().backward()
    assert x.grad.tolist() == [-1.0, 0.0, 1.0]


def test_clip_passes_the_gradient_inside_the_closed_interval() -> None:
    x = T([-2.0, -1.0, 0.0, 1.0, 2.0])
    for low, high, slope in [(-1.0, 1.0, [0, 1, 1, 1, 0]), (-1.0, None, [0, 1, 1, 1, 1]),
                             (None, 1.0, [1, 1, 1, 1, 0])]:
        x.zero_grad()
        out = x.clip(low, high)
        out.sum().backward()
        assert x.grad.tolist() == slope
    assert x.clip(max=0.5).data.tolist() == [-2.0, -1.0, 0.0, 0.5, 0.5]
    with pytest.raises(ValueError) as info:
        x.clip()
    assert message(info) == "clip: give min, max or both for <leaf>"


def test_reductions_over_chosen_axes() -> None:
    x = T(np.arange(6.0).reshape(2, 3))
    s = x.sum(axis=0)
    assert s.data.tolist() == [3.0, 5.0, 7.0]
    s.backward(gradient=np.array([1.0, 2.0, 3.0]))
    assert x.grad.tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    x.zero_grad()
    k = x.sum(axis=1, keepdims=True)
    assert k.shape == (2, 1)
    k.backward(gradient=np.array([[1.0], [2.0]]))
    assert x.grad.tolist() == [[1.0] * 3, [2.0] * 3]
    x.zero_grad()
    x.sum(keepdims=True).backward()
    assert x.grad.tolist() == [[1.0] * 3] * 2
    x.zero_grad()
    m = x.mean(axis=(0, 1))
    assert m.item() == 2.5
    m.backward()
    assert x.grad.tolist() == [[1 / 6] * 3] * 2
    x.zero_grad()
    mk = x.mean(axis=-1, keepdims=True)
    assert mk.data.tolist() == [[1.0], [4.0]]
    mk.backward(gradient=np.ones((2, 1)))
    assert x.grad.tolist() == [[1 / 3] * 3] * 2
    with pytest.raises(ValueError) as info:
        x.sum(axis=2)
    assert message(info) == ("sum: axis 2 is not valid for <leaf> of shape (2, 3); expected "
                             "an int or a tuple of distinct ints in [-2, 2)")
    with pytest.raises(ValueError, match=r"^mean: axis \(0, 0\) is not valid"):
        x.mean(axis=(0, 0))


def test_extrema_split_ties_and_refuse_empty_input() -> None:
    x = T([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]])
    mx = x.max(axis=1)
    assert mx.data.tolist() == [3.0, 2.0]
    mx.backward(gradient=np.array([1.0, 1.0]))
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
    x.zero_grad()
    mn = x.min(axis=0, keepdims=True)
    assert mn.data.tolist() == [[1.0, 0.0, -1.0]]
    mn.backward(gradient=np.ones((1, 3)))
    assert x.grad.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]
    x.zero_grad()
    x.max().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [0.0, 0.0, 0.0]]
    with pytest.raises(ValueError) as info:
        mg.Tensor(np.zeros((0, 2)), name="e").max()
    assert message(info) == ("max: e has no elements along axis 0 (shape (0, 2)); expected at "
                             "least one element to take the max of")


def test_logsumexp_softmax_and_log_softmax_along_an_axis() -> None:
    z = T([[0.0, np.log(3.0)], [-np.inf, 1.0]])
    lse = z.logsumexp(axis=1)
    assert lse.data.tolist() == pytest.approx([np.log(4.0), 1.0], rel=1e-15)
    lse.backward(gradient=np.array([1.0, 2.0]))
    assert np.allclose(z.grad, [[0.25, 0.75], [0.0, 2.0]], rtol=1e-15, atol=0)
    k = mg.Tensor([[1.0, 1.0]]).logsumexp(axis=-1, keepdims=True)
    assert k.shape == (1, 1) and k.item() == pytest.approx(1.0 + np.log(2.0), rel=1e-15)
    whole = mg.Tensor([[np.inf, 0.0]]).logsumexp()
    assert whole.item() == np.inf
    a = T([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    s = a.softmax(axis=0)
    assert s.data[:, 0].tolist() == pytest.approx([np.e / (1 + np.e), 1 / (1 + np.e)], rel=1e-15)
    g = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    s.backward(gradient=g)
    p = np.e / (1 + np.e)
    assert a.grad[:, 0].tolist() == pytest.approx([p * (1 - p), -p * (1 - p)], rel=1e-14)
    assert a.grad[:, 1:].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    a.zero_grad()
    ls = a.log_softmax(axis=1)
    assert ls.data[1].tolist() == pytest.approx([-np.log(3.0)] * 3, rel=1e-15)
    ls.backward(gradient=np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    assert a.grad[1].tolist() == pytest.approx([2 / 3, -1 / 3, -1 / 3], rel=1e-14)
    with pytest.raises(ValueError) as info:
        a.softmax(axis=2)
    assert message(info) == "softmax: axis 2 is not valid for <leaf> of shape (2, 3)"


def test_shape_ops_and_indexing() -> None:
    x = T(np.arange(6.0))
    r = x.reshape([2, 3])
    assert r.shape == (2, 3) and x.reshape(3, 2).shape == (3, 2)
    r.backward(gradient=np.arange(6.0).reshape(2, 3))
    assert x.grad.tolist() == list(np.arange(6.0))
    with pytest.raises(ValueError) as info:
        x.reshape(4, 2)
    assert message(info) == ("reshape: cannot reshape <leaf> of shape (6,) (6 elements) "
                             "into (4, 2)")
    c = T(np.arange(24.0).reshape(2, 3, 4))
    p = c.transpose(2, 0, 1)
    assert p.shape == (4, 2, 3) and c.transpose([1, 0, 2]).shape == (3, 2, 4)
    assert c.T.shape == (4, 3, 2) and c.transpose().shape == (4, 3, 2)
    p.backward(gradient=np.arange(24.0).reshape(4, 2, 3))
    assert np.array_equal(c.grad, np.arange(24.0).reshape(4, 2, 3).transpose(1, 2, 0))
    with pytest.raises(ValueError) as info:
        c.transpose(0, 0, 1)
    assert message(info) == ("transpose: axes (0, 0, 1) are not a permutation of the 3 axes "
                             "of <leaf>")
    v = T([1.0, 2.0, 3.0])
    picked = v[np.array([0, 0, 2])]
    picked.backward(gradient=np.array([1.0, 2.0, 5.0]))
    assert v.grad.tolist() == [3.0, 0.0, 5.0]  # repeated indices add up
    v.zero_grad()
    v[np.array([True, False, True])].sum().backward()
    assert v.grad.tolist() == [1.0, 0.0, 1.0]
    v.zero_grad()
    v[1:].backward(gradient=np.array([4.0, 6.0]))
    assert v.grad.tolist() == [0.0, 4.0, 6.0]
    m = T(np.ones((2, 2)))
    m[np.int64(1), ...].sum().backward()
    assert m.grad.tolist() == [[0.0, 0.0], [1.0, 1.0]]
    with pytest.raises(IndexError, match=r"^index 5 does not fit <leaf> of shape \(3,\): "):
        v[5]


def test_large_sums_hand_every_leaf_a_writable_gradient() -> None:
    x = T(np.ones((200, 100)))
    h = x * 2.0
    h.sum().backward()
    assert x.grad.flags.writeable and np.all(x.grad == 2.0)
    assert np.all(h.grad == 1.0) and h.grad.shape == (200, 100)
