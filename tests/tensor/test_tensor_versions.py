"""In-place changes after the forward pass (version counters), gradients in each input's dtype,
and Tensor indices — each against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import microgradnn as mg

MODIFIED = "one of the variables needed for gradient computation has been modified by an inplace"


# --------------------------------------------------------------------------- versions
def test_an_in_place_change_after_the_forward_pass_raises_as_pytorch() -> None:
    """The reviewer's case: without the check, a.grad came out as b's NEW values."""
    a = mg.Tensor([1.0, 2.0, 3.0], requires_grad=True, name="a")
    b = mg.Tensor([4.0, 5.0, 6.0], requires_grad=True, name="b")
    c = (a * b).sum()
    with mg.no_grad():
        b += 10
    with pytest.raises(RuntimeError, match=MODIFIED) as error:
        c.backward()
    message = str(error.value)
    assert "b, a leaf, is at version 1; expected version 0 instead" in message
    assert "saved by '*'" in message
    assert a.grad is None  # nothing half-done: the check runs before the rule

    ta = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    tb = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    tc = (ta * tb).sum()
    with torch.no_grad():
        tb += 10
    with pytest.raises(RuntimeError, match=MODIFIED):
        tc.backward()


def test_versions_count_every_in_place_change_and_views_share_them() -> None:
    t = mg.Tensor(np.arange(6.0).reshape(2, 3), name="t")
    assert t._version == 0
    t += 1
    t[0, 0] = 5.0
    t *= 2
    assert t._version == 3
    view = t[:, 1:]
    flat = t.reshape(-1)
    copy = t[[0, 1]]  # advanced indexing copies: its own counter
    view += 1  # t was made without grad: its views are plain leaves
    assert t._version == view._version == flat._version == t.T._version == 4
    assert copy._version == 0 and t.detach()._version == 4
    with pytest.raises(RuntimeError, match="expected version 4"):
        w = mg.Tensor(np.ones((2, 3)), requires_grad=True)
        out = (w * t.T.T).sum()
        t.detach()[1, 1] = 0.0  # the same array: a change to t
        out.backward()


# (expression, the input changed after it, does the backward need the old values?)
# a and b require grad, c does not; the answers are PyTorch's.
CASES = [
    ("(a * b).sum()", "a", True),
    ("(a * b).sum()", "b", True),
    ("(a * c).sum()", "a", False),  # ∂/∂a = c: a's own values are not needed
    ("(a * c).sum()", "c", True),
    ("(c * a).sum()", "a", False),
    ("(a + b).sum()", "b", False),
    ("(a - c).sum()", "c", False),
    ("(a / c).sum()", "a", False),  # ∂/∂a = g/c
    ("(a / c).sum()", "c", True),
    ("(c / a).sum()", "a", True),
    ("(a @ W).sum()", "W", True),
    ("(c @ W).sum()", "W", False),  # ∂/∂W = cᵀ g
    ("(a @ W).sum()", "a", True),
    ("a.exp().sum()", "a", False),  # exp's rule reads its output, not a
    ("a.tanh().sum()", "a", False),
    ("a.sigmoid().sum()", "a", False),
    ("a.relu().sum()", "a", False),
    ("a.log().sum()", "a", True),
    ("a.abs().sum()", "a", True),
    ("(a ** 2).sum()", "a", True),
    ("(a ** b).sum()", "b", True),
    ("a.sum() * 2.0", "a", False),
    ("a[1:].sum()", "a", False),
    ("(a[1:] * b[1:]).sum()", "a", True),  # a view of a: a's change reaches it
    ("(a.reshape(3, 1) * c).sum()", "c", True),
]


def _run(lib: str, expr: str, changed: str) -> tuple[bool, dict[str, np.ndarray]]:
    arrays = {"a": np.array([0.5, 1.5, 2.0]), "b": np.array([1.2, 0.7, 1.9]),
              "c": np.array([2.0, -1.0, 0.5]), "W": np.arange(1.0, 7.0).reshape(3, 2)}
    grad = {"a", "b", "W"}
    if lib == "mg":
        xs = {k: mg.Tensor(v.copy(), requires_grad=k in grad, name=k) for k, v in arrays.items()}
        ctx, err = mg.no_grad, RuntimeError
    else:
        xs = {k: torch.tensor(v, requires_grad=k in grad) for k, v in arrays.items()}
        ctx, err = torch.no_grad, RuntimeError
    out = eval(expr, {}, dict(xs))
    with ctx():
        xs[changed] += 1.0
    try:
        out.backward()
    except err as error:
        assert MODIFIED in str(error)
        return True, {}
    return False, {k: np.asarray(x.grad) for k, x in xs.items() if x.grad is not None}


@pytest.mark.parametrize(("expr", "changed", "raises"), CASES)
def test_only_ops_that_saved_the_changed_values_raise_as_pytorch(expr: str, changed: str,
                                                                  raises: bool) -> None:
    mine, theirs = _run("mg", expr, changed), _run("torch", expr, changed)
    assert theirs[0] is raises, "the table disagrees with PyTorch"
    assert mine[0] is raises
    assert mine[1].keys() == theirs[1].keys()
    for k in mine[1]:  # where neither raises, the gradients agree
        np.testing.assert_allclose(mine[1][k], theirs[1][k], rtol=1e-12)


def test_an_optimiser_step_bumps_the_version_so_a_stale_graph_raises() -> None:
    W = mg.Tensor(np.ones((3, 2)), requires_grad=True, name="W")
    X = np.arange(6.0).reshape(2, 3)
    for Opt in (mg.optim.SGD, mg.optim.Adam):
        opt = Opt([W], lr=0.1)
        loss = (X @ W).tanh().sum() + (W**2).sum()  # ** 2 saves W
        loss.backward()
        before = W._version
        opt.step()
        assert W._version == before + 1
        with pytest.raises(RuntimeError, match=r"W, a leaf, is at version \d+; expected"):
            loss.backward()
        opt.zero_grad()
        ((X @ W).tanh().sum() + (W**2).sum()).backward()  # a fresh forward pass is fine
        assert W.grad is not None


def test_an_op_that_saved_its_output_raises_when_a_view_of_it_changes() -> None:
    for lib in ("mg", "torch"):
        a = (mg.Tensor if lib == "mg" else torch.tensor)([0.5, 1.0], requires_grad=True)
        y = a.exp()
        out = y.sum()
        y.detach()[0] = 0.0
        with pytest.raises(RuntimeError, match=MODIFIED):
            out.backward()


# --------------------------------------------------------------------------- dtypes
@pytest.mark.parametrize("expr", ["a * b", "a + b", "b - a", "a / b", "a @ M", "M.T @ a",
                                  "mg.maximum(a, b)", "a * K", "K / a", "mg.stack([a, b[0]])",
                                  "mg.where(K > 1, a, b)", "(a * 2.0).max() * b"])
def test_each_gradient_keeps_its_inputs_dtype_as_pytorch(expr: str) -> None:
    rng = np.random.default_rng(5)
    a32 = rng.uniform(0.5, 2.0, 3).astype(np.float32)
    b64, k64 = rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(0.5, 2.0, 3)
    m64 = rng.uniform(0.5, 2.0, (3, 3))
    a, b, M = (mg.Tensor(v, requires_grad=True) for v in (a32, b64, m64))
    out = eval(expr, {"mg": mg}, {"a": a, "b": b, "M": M, "K": k64})
    out.sum().backward()
    ta, tb, tM = (torch.tensor(v, requires_grad=True) for v in (a32, b64, m64))
    tk = torch.tensor(k64)
    tns = {"mg": type("T", (), {"maximum": torch.maximum, "stack": torch.stack,
                                "where": torch.where})}
    torch_expr = expr.replace("(a * 2.0).max()", "(a * 2.0).amax()")
    torch_expr = torch_expr.replace("a @", "a.double() @").replace("@ a", "@ a.double()")
    eval(torch_expr, tns, {"a": ta, "b": tb, "M": tM, "K": tk}).sum().backward()
    assert a.grad.dtype == np.float32
    for mine, theirs in ((a, ta), (b, tb), (M, tM)):
        if theirs.grad is None:
            assert mine.grad is None
            continue
        assert str(theirs.grad.dtype) == f"torch.{mine.grad.dtype}"
        np.testing.assert_allclose(mine.grad, theirs.grad.numpy(), rtol=1e-6)


# --------------------------------------------------------------------------- Tensor indices
def test_a_tensor_index_is_refused_naming_the_numpy_way() -> None:
    """A bool Tensor holds 1.0/0.0: used as an index it used to pick positions 1 and 0."""
    x = mg.Tensor([10.0, 20.0, 30.0, 40.0], requires_grad=True, name="x")
    mask = mg.Tensor([True, False, True, False], name="mask")
    for index in (mask, (mask,), (Ellipsis, mg.Tensor([2, 0]))):
        with pytest.raises(TypeError, match=r"astype\(bool\).*astype\(int\)"):
            x[index]
    with pytest.raises(TypeError, match="mask is a Tensor"):
        mask.detach()[mask] = 1.0
    picked = x[mask.data.astype(bool)]  # what the message says to do
    picked.sum().backward()
    tx = torch.tensor(x.data, requires_grad=True)
    tpicked = tx[torch.tensor([True, False, True, False])]
    tpicked.sum().backward()
    np.testing.assert_array_equal(picked.data, tpicked.detach().numpy())
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    positions = x[mg.Tensor([2, 0, 2]).data.astype(int)]
    np.testing.assert_array_equal(positions.data, [30.0, 10.0, 30.0])
