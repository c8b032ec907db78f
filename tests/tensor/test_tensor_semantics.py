"""Tensor's contract: construction, NumPy interplay, backward, grad mode, Scalar agreement."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from op_table import ALL, Op

import microgradnn as mg


# --------------------------------------------------------------------------- construction
def test_dtypes_follow_the_contract() -> None:
    assert mg.Tensor([1, 2, 3]).data.dtype == np.float64
    assert mg.Tensor(2).data.dtype == np.float64
    assert mg.Tensor([True, False]).data.dtype == np.float64
    assert mg.Tensor(np.arange(3, dtype=np.int32)).data.dtype == np.float64
    assert mg.Tensor(np.ones(2, dtype=np.float32)).data.dtype == np.float32
    assert mg.Tensor([1.0, 2.0], dtype=np.float32).data.dtype == np.float32
    assert mg.Tensor(np.ones(2, dtype=np.float16)).data.dtype == np.float64
    assert isinstance(mg.Tensor(3.5).data, np.ndarray)


@pytest.mark.parametrize("bad", [np.array([1 + 2j]), np.array([object()]), ["a", "b"]])
def test_complex_object_and_text_arrays_are_rejected_naming_the_dtype(bad: object) -> None:
    dtype = np.asarray(bad).dtype
    with pytest.raises(TypeError, match=f"dtype {dtype}"):
        mg.Tensor(bad)


def test_bad_dtype_argument_and_ragged_lists_are_rejected() -> None:
    with pytest.raises(TypeError, match="expected float32 or float64"):
        mg.Tensor([1.0], dtype=np.int64)
    with pytest.raises(ValueError, match="could not make an array"):
        mg.Tensor([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="name must be a str"):
        mg.Tensor([1.0], name=3)  # type: ignore[arg-type]


def test_a_float64_array_is_used_without_a_copy() -> None:
    x = np.ones((3, 2))
    assert mg.Tensor(x).data is x
    assert mg.Tensor(x).numpy() is x


def test_attributes() -> None:
    t = mg.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, name="W")
    assert (t.shape, t.ndim, t.size, t.name, t.op) == ((2, 3), 2, 6, "W", "")
    assert t.grad is None and t.is_leaf and t.requires_grad
    assert t.T.shape == (3, 2) and np.array_equal(t.T.data, t.data.T)
    assert mg.Tensor([[4.5]]).item() == 4.5
    with pytest.raises(ValueError, match="6 elements"):
        t.item()
    d = t.detach()
    assert d.data is t.data and not d.requires_grad and d.is_leaf
    assert t.retain_grad() is None
    u = (t * 2).sum()
    assert not u.is_leaf and u.parents[0].parents == (t,)
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf"):
        u.requires_grad_()
    v = mg.Tensor([1.0]).requires_grad_()
    assert v.requires_grad
    u.backward()
    assert t.grad is not None
    t.zero_grad()
    assert t.grad is None
    assert len(t) == 2 and [row.shape for row in t] == [(3,), (3,)]
    assert "requires_grad=True" in repr(t) and "name='W'" in repr(t)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(t)


# --------------------------------------------------------------------------- NumPy interplay
@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**", "@"])
def test_arrays_numbers_and_lists_on_either_side_give_a_tensor(op: str) -> None:
    t = mg.Tensor(np.array([[1.0, 2.0], [3.0, 0.5]]), requires_grad=True)
    ref = torch.tensor(t.data, requires_grad=True)
    left = np.array([[2.0, 1.5], [0.5, 3.0]])
    for other in (left, left.tolist(), 2.0, 3):
        if op == "@" and not isinstance(other, np.ndarray | list):
            continue
        for mine, theirs in ((eval(f"other {op} t"), eval(f"torch.as_tensor(other, "
                                                           f"dtype=torch.float64) {op} ref")),
                             (eval(f"t {op} other"), eval(f"ref {op} torch.as_tensor(other, "
                                                          "dtype=torch.float64)"))):
            assert isinstance(mine, mg.Tensor), type(mine)
            np.testing.assert_allclose(mine.data, theirs.detach().numpy())
            t.zero_grad()
            ref.grad = None
            mine.sum().backward()
            theirs.sum().backward()
            np.testing.assert_allclose(t.grad, ref.grad.numpy())


def test_numpy_ufuncs_give_tensors_or_refuse_by_name_never_object_arrays() -> None:
    t = mg.Tensor([1.0, 2.0])
    assert isinstance(np.exp(t), mg.Tensor)  # the op table covers exp (issue 15)
    with pytest.raises(TypeError, match=r"np\.sin"):  # it does not cover sin
        np.sin(t)
    assert np.asarray(t).dtype == np.float64


def test_float32_stays_float32_through_ops_and_gradients() -> None:
    w = mg.Tensor(np.ones((2, 3)), requires_grad=True, dtype=np.float32)
    out = ((w * 2.0 + 1.0).sigmoid() @ np.ones(3, dtype=np.float32)).sum()
    assert out.data.dtype == np.float32
    out.backward()
    assert w.grad.dtype == np.float32


# --------------------------------------------------------------------------- backward
def test_backward_of_a_non_scalar_needs_a_gradient_of_its_shape() -> None:
    w = mg.Tensor(np.ones((2, 3)), requires_grad=True, name="W")
    out = w * 2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        out.backward()
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(2, 3\)"):
        out.backward(np.ones(3))
    out.backward(np.full((2, 3), 0.5))
    np.testing.assert_allclose(w.grad, np.ones((2, 3)))
    one = (w.sum(keepdims=True) * 3)  # shape (1, 1): one element, so implicit
    one.backward()
    np.testing.assert_allclose(w.grad, np.full((2, 3), 4.0))


def test_backward_through_nothing_that_requires_grad_raises() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        (mg.Tensor([1.0, 2.0]) * 2).sum().backward()


def test_every_intermediate_keeps_its_delta_and_leaves_accumulate() -> None:
    x = mg.Tensor([0.5, -1.0], requires_grad=True)
    z = x * 3.0
    a = z.tanh()
    out = (a * a).sum()  # a used twice: both paths add up
    out.backward()
    np.testing.assert_allclose(a.grad, 2 * a.data)
    np.testing.assert_allclose(z.grad, 2 * a.data * (1 - a.data**2))
    first = x.grad.copy()
    out.backward()
    np.testing.assert_allclose(x.grad, 2 * first)
    np.testing.assert_allclose(z.grad, 2 * a.data * (1 - a.data**2))  # this pass only


def test_no_gradient_is_computed_for_an_input_that_does_not_require_one() -> None:
    X = mg.Tensor(np.ones((5, 4)), name="X")
    W = mg.Tensor(np.ones((3, 4)), requires_grad=True, name="W")
    z = X @ W.T
    contributions = z._vjp(np.ones(z.shape))
    assert contributions[0] is None and contributions[1].shape == (4, 3)
    (z * X[:, :3] + X.sum()).sum().backward()
    assert X.grad is None and W.grad.shape == (3, 4)


def test_functional_grad_and_hooks_work_on_tensors() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    (g,) = mg.grad(y, [x])
    np.testing.assert_allclose(g, [2.0, 4.0])
    assert x.grad is None
    seen = []
    z = x * 3
    z.register_hook(lambda g: seen.append(g.copy()))
    z.sum().backward()
    np.testing.assert_allclose(seen[0], [1.0, 1.0])


def test_no_grad_records_nothing() -> None:
    w = mg.Tensor([1.0], requires_grad=True)
    with mg.no_grad():
        out = (w * 2).exp()
    assert out.parents == () and not out.requires_grad


# --------------------------------------------------------------------------- bad input
def test_shape_errors_name_the_op_the_shapes_and_the_nodes() -> None:
    X = mg.Tensor(np.ones((5, 400)), name="X")
    T1 = mg.Tensor(np.ones((25, 401)), requires_grad=True, name="Theta1")
    with pytest.raises(ValueError) as error:
        X @ T1
    assert str(error.value) == ("matmul: (5, 400) @ (25, 401) — inner dimensions 400 and 25 "
                                "differ (X @ Theta1)")
    with pytest.raises(ValueError, match=r"\+: shapes \(5, 400\) \(X\) and \(25, 401\) "
                                         r"\(Theta1\) do not broadcast"):
        X + T1
    with pytest.raises(ValueError, match=r"at least one dimension"):
        X @ mg.Tensor(2.0)
    with pytest.raises(ValueError, match="batch dimensions"):
        mg.Tensor(np.ones((2, 3, 4))) @ np.ones((3, 4, 5))
    with pytest.raises(ValueError, match=r"reshape: cannot reshape X of shape \(5, 400\)"):
        X.reshape(3, 7)
    with pytest.raises(ValueError, match=r"sum: axis 2 is not valid for X of shape"):
        X.sum(axis=2)
    with pytest.raises(ValueError, match=r"concatenate: shapes \(5, 400\) \(X\), \(25, 401\)"):
        mg.concatenate([X, T1])
    with pytest.raises(IndexError, match=r"does not fit X of shape \(5, 400\)"):
        X[7]
    with pytest.raises(TypeError, match=r"\*: unsupported operand"):
        X * "2"
    with pytest.raises(ValueError, match="needs a base >= 0"):
        mg.Tensor([-1.0, 2.0]) ** mg.Tensor([2.0, 2.0], requires_grad=True)


@pytest.mark.parametrize("update", ["t += 1", "t -= 1", "t *= 2", "t /= 2", "t **= 2",
                                    "t[0] = 5.0"])
def test_in_place_on_a_leaf_that_requires_grad_raises_as_pytorch(update: str) -> None:
    t = mg.Tensor([1.0, 2.0], requires_grad=True, name="w")
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used "
                                           "in an in-place operation"):
        exec(update, {}, {"t": t})
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        exec(update, {}, {"t": torch.tensor([1.0, 2.0], requires_grad=True)})
    names = {"t": t}
    with mg.no_grad():
        exec(update, {}, names)  # the optimiser's update: allowed with grad mode off
    assert names["t"] is t and not np.array_equal(t.data, [1.0, 2.0])


def test_in_place_is_allowed_on_constants_and_refused_on_intermediates() -> None:
    c = mg.Tensor([1.0, 2.0])
    c += np.array([1.0, 1.0])
    c[1] = 0.0
    np.testing.assert_allclose(c.data, [2.0, 0.0])
    mid = mg.Tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="intermediate node"):
        mid += 1


def test_nan_passes_through_but_anomaly_mode_names_the_first_op() -> None:
    x = mg.Tensor([1.0, -1.0], requires_grad=True, name="x")
    with np.errstate(invalid="ignore"):
        y = x.log().exp()
    assert np.isnan(y.data[1])
    with np.errstate(invalid="ignore", divide="ignore"), mg.detect_anomaly(), \
            pytest.raises(mg.AnomalyError, match=r"'log'.*x.*finite"):
        x.log().exp()
    z = mg.Tensor([0.0, 1.0], requires_grad=True, name="z")
    with np.errstate(divide="ignore"), mg.detect_anomaly(), \
            pytest.raises(mg.AnomalyError, match="backward of 'sqrt'"):
        z.sqrt().sum().backward()  # d√z/dz = inf at 0


@pytest.mark.parametrize("op", ["where", "maximum"])
def test_anomaly_mode_names_an_op_of_constants_only(op: str) -> None:
    """With no Tensor operand, the forward check was handed a float as the op's parent
    (AttributeError: 'float' object has no attribute 'label')."""
    def run(value: float) -> mg.Tensor:
        if op == "where":
            return mg.where(np.array([True, False]), 1.0, value)
        return mg.maximum(value, 2.0)
    out = run(np.inf)  # outside anomaly mode: IEEE arithmetic, a constant result
    assert np.isinf(out.data).any() and out.is_leaf and not out.requires_grad
    with mg.detect_anomaly():
        assert np.isfinite(run(3.0).data).all()
        with pytest.raises(mg.AnomalyError, match=rf"forward of '{op}'.*\(constants\)"):
            run(np.inf)


# --------------------------------------------------------------------------- stability
def test_stable_forms_stay_finite_where_naive_formulas_overflow() -> None:
    big = mg.Tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = big.sigmoid()
        sp = big.softplus()
        ls = big.log_softmax()
        lse = big.logsumexp()
    np.testing.assert_allclose(s.data, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(sp.data, [0.0, np.log(2.0), 1000.0])
    np.testing.assert_allclose(ls.data, [-2000.0, -1000.0, 0.0])
    assert lse.item() == 1000.0
    # cross-entropy from logits, saturated: δ = a - y exactly, finite cost
    y = np.array([1.0, 0.0, 0.0])
    cost = (big.softplus() - big * y).sum()
    cost.backward()
    assert np.isfinite(cost.item())
    np.testing.assert_allclose(big.grad, s.data - y)


# --------------------------------------------------------------------------- Scalar agreement
@pytest.mark.parametrize("op", ALL, ids=lambda op: op.name)
@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_scalar_and_one_element_tensor_agree(op: Op, shape: tuple[int, ...]) -> None:
    low, high = op.domain
    values = np.random.default_rng(len(op.name)).uniform(low, high, op.arity)
    scalars = [mg.Scalar(float(v)) for v in values]
    tensors = [mg.Tensor(np.full(shape, v), requires_grad=True) for v in values]
    s_out, t_out = op.fn(*scalars), op.fn(*tensors)
    s_out.backward()
    t_out.backward()
    assert t_out.shape == shape
    assert t_out.item() == pytest.approx(s_out.data, rel=1e-12, abs=1e-14)
    for s, t in zip(scalars, tensors):
        assert t.grad.shape == shape
        assert float(t.grad.reshape(-1)[0]) == pytest.approx(s.grad, rel=1e-12, abs=1e-14)


def test_large_sums_match_pytorch_and_leaves_get_writable_grads() -> None:
    x = np.random.default_rng(3).normal(size=(200, 100))
    t = mg.Tensor(x, requires_grad=True)
    mid = t.tanh()
    out = mid.sum() + t.sum(axis=0, keepdims=True).sum() + (mid * 2).mean(axis=1).sum()
    out.backward()
    ref = torch.tensor(x, requires_grad=True)
    rmid = ref.tanh()
    rmid.retain_grad()
    (rmid.sum() + ref.sum(dim=0, keepdim=True).sum() + (rmid * 2).mean(dim=1).sum()).backward()
    np.testing.assert_allclose(t.grad, ref.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(mid.grad, rmid.grad.numpy(), rtol=1e-12)
    t.grad *= 0.5  # a leaf's grad is its own array (an optimiser may scale it in place)
    # a pass-through op between the sum and the leaf: the sum's gradient is a read-only view
    # (the intermediate is large) that + 0.0 hands on unchanged; the leaf still owns its grad
    W = mg.Tensor(np.ones((200, 200)), requires_grad=True)
    mid = W + 0.0
    mid.sum().backward()
    assert W.grad.flags.writeable and W.grad.flags.owndata
    assert W.grad is not mid.grad and not np.shares_memory(W.grad, mid.grad)
    np.testing.assert_array_equal(W.grad, np.ones((200, 200)))
    W.grad *= 0.5
    np.testing.assert_array_equal(mid.grad, np.ones((200, 200)))  # δ of mid untouched


def test_views_share_memory_instead_of_copying() -> None:
    x = np.arange(24.0).reshape(4, 6)
    t = mg.Tensor(x, requires_grad=True)
    for view in (t[:, 1:], t.T, t.reshape(6, 4), t[1], t.transpose(1, 0)[::2]):
        assert np.shares_memory(view.data, x), view.op


def test_a_deep_chain_backpropagates_without_recursion() -> None:
    x = mg.Tensor([0.5, -0.25], requires_grad=True)
    y = x
    for _ in range(20_000):  # 40,000 edges; each node is used twice
        y = y * 1.001 - 0.0005 * y
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.full(2, (1.001 - 0.0005) ** 20_000), rtol=1e-9)


def test_the_course_cost_never_copies_X() -> None:
    """z2 = X Θ1[:,1:]ᵀ + Θ1[:,0]: forward and backward allocate far less than X's size."""
    import tracemalloc

    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 400))  # 12.8 MB
    T1 = mg.Tensor(rng.uniform(-0.1, 0.1, (25, 401)), requires_grad=True)
    tracemalloc.start()
    z2 = X @ T1[:, 1:].T + T1[:, 0]
    (z2.sigmoid().sum() + (T1[:, 1:] ** 2).sum()).backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < X.nbytes / 2, f"peak {peak / 1e6:.1f} MB"
    assert T1.grad.shape == (25, 401)
