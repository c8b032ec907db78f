"""What a Tensor node records and reports, where the op table does not reach: in-place
updates and their version counters, float32 gradients, anomaly messages, the name of each
op, the exact messages of its errors, and what each rule saves. Numbers are worked out by
hand (or by PyTorch's documented rule) in each test."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from tensor_helpers import T, message

import microgradnn as mg


# --------------------------------------------------------------------------- in place
def test_in_place_updates_change_values_and_versions() -> None:
    x = mg.Tensor([1.0, 2.0, 4.0], name="x")
    x *= 2.0
    x /= 4.0
    x **= 2.0
    x -= 0.25
    x += np.array([1.0, 1.0, 1.0])
    assert x.data.tolist() == [1.0, 1.75, 4.75]
    assert x._version == 5
    x[0] = 9.0
    assert x.data[0] == 9.0 and x._version == 6
    for update, op in [(lambda v: v.__iadd__(np.ones(2)), "+="),
                       (lambda v: v.__isub__(np.ones(2)), "-="),
                       (lambda v: v.__imul__(np.ones(2)), "*="),
                       (lambda v: v.__itruediv__(np.ones(2)), "/="),
                       (lambda v: v.__ipow__(np.ones(2)), "**="),
                       (lambda v: v.__setitem__(slice(0, 2), np.ones(3)), "__setitem__")]:
        with pytest.raises(ValueError) as info:
            update(x)
        assert message(info).startswith(f"{op}: (") and " does not fit into x of shape (3,): " \
            in message(info)
    with pytest.raises(TypeError) as info:
        x += "a"
    assert message(info).startswith("+=: unsupported operand 'a' of type str")
    with pytest.raises(RuntimeError) as info:
        h = T([1.0]) * 2.0
        h *= 3.0
    assert message(info) == ("*=: <*> is an intermediate node (output of '*'); changing it in "
                             "place would corrupt the backward pass — use x = x + y")
    w = T([1.0], name="w")
    with pytest.raises(RuntimeError) as info:
        w /= 2.0
    assert message(info) == ("a leaf Variable that requires grad is being used in an in-place "
                             "operation (/= on w); update it inside mg.no_grad() or use "
                             "x = x + y")
    with mg.no_grad():
        w **= 3.0
        w *= 4.0
    assert w.data.tolist() == [4.0]


def test_a_changed_input_is_named_with_its_versions() -> None:
    x = T([1.0, 2.0], name="x")
    out = (x * x).sum()
    with mg.no_grad():
        x *= 2.0
    with pytest.raises(RuntimeError) as info:
        out.backward()
    assert message(info) == (
        "one of the variables needed for gradient computation has been modified by an "
        "inplace operation: [float64 of shape (2,)] x, a leaf, is at version 1; expected "
        "version 0 instead (saved by '*', node <*>). Hint: change it out of place "
        "(x = x + y), or run the forward pass again after the change.")
    y = T([1.0, 2.0], name="y")
    out = (y * y).sum()
    with mg.no_grad():
        for _ in range(40):  # more changes than the counter keeps stamps of
            y += 0.0
    with pytest.raises(RuntimeError) as info:
        out.backward()
    assert ("[float64 of shape (2,)] y, a leaf, is at version 40; "
            "expected version 8 or lower instead") in message(info)
    z = T([3.0], name="z")
    s = z.sum() * 1.0  # sum saves nothing: a later change cannot spoil its gradient
    with mg.no_grad():
        z += 1.0
    s.backward()
    assert z.grad.tolist() == [1.0]


def test_views_share_the_version_only_when_they_share_memory() -> None:
    base = mg.Tensor(np.arange(4.0))
    view = base.reshape(2, 2)
    copy = base[np.array([0, 1])]
    base += 1.0
    assert view._version == 1 and base._version == 1 and copy._version == 0
    assert mg.Tensor(base)._version == 1 and base.detach()._version == 1
    assert mg.Tensor(base.data.copy())._version == 0


def test_float32_leaves_get_float32_gradients_through_float64_ops() -> None:
    f = T(np.array([1.0, 2.0], dtype=np.float32))
    d = T([3.0, 4.0])
    out = (f * d).sum()
    out.backward()
    assert f.grad.dtype == np.float32 and d.grad.dtype == np.float64
    assert f.grad.tolist() == [3.0, 4.0] and d.grad.tolist() == [1.0, 2.0]


def test_anomaly_forward_messages_say_where_the_non_finite_value_came_from() -> None:
    x = mg.Tensor([0.0, 1.0], name="x")
    with mg.detect_anomaly(), np.errstate(divide="ignore", invalid="ignore"):
        with pytest.raises(mg.AnomalyError) as info:
            x.log()
        assert message(info) == ("forward of 'log' produced a non-finite value (nan or inf) "
                                 "from inputs (x); every input was finite")
        with pytest.raises(mg.AnomalyError, match="; input p, q already held a non-finite"):
            mg.Tensor([np.inf], name="p") * mg.Tensor([np.nan], name="q")
        bad = mg.Tensor([np.inf], name="bad")
        with pytest.raises(mg.AnomalyError) as info:
            bad * mg.Tensor([2.0], name="two")
        assert message(info) == ("forward of '*' produced a non-finite value (nan or inf) "
                                 "from inputs (bad, two); input bad already held a "
                                 "non-finite value")
        with pytest.raises(mg.AnomalyError) as info:
            mg.where(np.array([True]), np.array([np.nan]), 0.0)
        assert message(info) == ("forward of 'where' produced a non-finite value (nan or inf) "
                                 "from inputs (constants); none of them is a Tensor")
        assert x.exp().data.tolist() == [1.0, np.e]


# --------------------------------------------------------------------------- op names
OP_NAMES = {
    "+": lambda t: 1.0 + t, "-": lambda t: 1.0 - t, "*": lambda t: 2.0 * t,
    "/": lambda t: 1.0 / t, "+ ": lambda t: t + 1.0, "- ": lambda t: t - 1.0,
    "* ": lambda t: t * 2.0, "/ ": lambda t: t / 2.0, "**": lambda t: t**3, "neg": lambda t: -t,
    "matmul": lambda t: t @ t, "exp": lambda t: t.exp(), "log": lambda t: t.log(),
    "sqrt": lambda t: t.sqrt(), "tanh": lambda t: t.tanh(), "sigmoid": lambda t: t.sigmoid(),
    "relu": lambda t: t.relu(), "softplus": lambda t: t.softplus(), "abs": lambda t: t.abs(),
    "clip": lambda t: t.clip(0.0, 1.0), "sum": lambda t: t.sum(), "mean": lambda t: t.mean(),
    "max": lambda t: t.max(), "min": lambda t: t.min(),
    "logsumexp": lambda t: t.logsumexp(), "softmax": lambda t: t.softmax(),
    "log_softmax": lambda t: t.log_softmax(), "reshape": lambda t: t.reshape(2, 1),
    "transpose": lambda t: t.T, "index": lambda t: t[0],
    "concatenate": lambda t: mg.concatenate([t, t]), "stack": lambda t: mg.stack([t, t]),
    "where": lambda t: mg.where(np.array([True, False]), t, 0.0),
    "maximum": lambda t: mg.maximum(t, 1.5),
}


@pytest.mark.parametrize("op", sorted(OP_NAMES))
def test_every_node_records_the_name_of_its_op(op: str) -> None:
    """The op name is what drawings, repr and error messages show for a node."""
    t = T([1.0, 2.0])
    out = OP_NAMES[op](t)
    op = op.strip()  # "- " is t - 1.0, "-" is 1.0 - t: the same op name
    assert out.op == op and out.parents[0] is t
    assert out.label() == f"<{op}>"


@pytest.mark.parametrize(("make", "op"), [
    (lambda t: "a" + t, "+"), (lambda t: "a" - t, "-"), (lambda t: "a" / t, "/"),
    (lambda t: "a" * t, "*"), (lambda t: t ** "a", "**"), (lambda t: "a" ** t, "**"),
    (lambda t: t - "a", "-"), (lambda t: t / "a", "/"), (lambda t: t * "a", "*"),
    (lambda t: t @ "a", "matmul"),
    (lambda t: mg.where(np.array([True]), "a", t), "where"),
    (lambda t: mg.stack([t, "a"]), "stack"), (lambda t: mg.concatenate(["a", t]), "concatenate"),
])
def test_an_unsupported_operand_is_named_with_the_op(make, op: str) -> None:
    with pytest.raises(TypeError) as info:
        make(T([1.0]))
    assert message(info) == (f"{op}: unsupported operand 'a' of type str; expected a Tensor, "
                             "a real number or an array of real numbers")


def test_axis_errors_name_the_op_that_was_given_the_axis() -> None:
    x = mg.Tensor(np.ones((2, 2)), name="x")
    for op in ("sum", "mean", "max", "min", "logsumexp"):
        with pytest.raises(ValueError, match=rf"^{op}: axis 3 is not valid for x of shape"):
            getattr(x, op)(axis=3)
    for op in ("softmax", "log_softmax"):
        with pytest.raises(ValueError, match=rf"^{op}: axis 3 is not valid for x of shape"):
            getattr(x, op)(axis=3)


def test_stable_forms_on_rows_of_very_different_scale() -> None:
    z = T([[0.0, 0.0], [1000.0, 1000.0]])
    assert z.softmax(axis=1).data.tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert np.allclose(z.log_softmax(axis=1).data, -np.log(2.0), rtol=1e-15)
    lse = z.logsumexp(axis=1)
    assert np.allclose(lse.data, [np.log(2.0), 1000.0 + np.log(2.0)], rtol=1e-15)
    empty = T(np.zeros((0, 3)))
    with np.errstate(divide="ignore"):
        e = empty.logsumexp(axis=0)
    assert e.data.tolist() == [-np.inf] * 3  # log of an empty sum
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):
        m = empty.mean(axis=0)
    assert np.isnan(m.data).all() and m.shape == (3,)
    m.backward(gradient=np.ones(3))
    assert empty.grad.shape == (0, 3)
    assert T([[1.0, 2.0]]).mean().shape == ()


def test_inner_dimension_message_reads_the_last_axis() -> None:
    with pytest.raises(ValueError) as info:
        mg.Tensor(np.ones((2, 4, 3)), name="a") @ mg.Tensor(np.ones((5, 2)), name="b")
    assert message(info) == ("matmul: (2, 4, 3) @ (5, 2) — inner dimensions 3 and 5 differ "
                             "(a @ b)")
    with pytest.raises(ValueError) as info:
        mg.where(np.ones(2, dtype=bool), mg.Tensor([1.0, 2.0, 3.0], name="p"),
                 mg.Tensor(np.ones(4), name="q"))
    assert message(info) == "where: condition (2,), (3,) (p) and (4,) (q) do not broadcast"


def test_joins_default_to_the_first_axis() -> None:
    a, b = T([[1.0, 2.0]]), T([[3.0, 4.0]])
    assert mg.concatenate([a, b]).data.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert mg.stack([a, b]).shape == (2, 1, 2)


def test_versions_name_the_last_kept_change_before_the_node() -> None:
    y = T([1.0, 2.0], name="y")
    with mg.no_grad():
        y += 0.0  # version 1, before the node below exists
    out = (y * y).sum()
    with mg.no_grad():
        for _ in range(39):  # 39 more: more than the counter keeps stamps of
            y += 0.0
    with pytest.raises(RuntimeError) as info:
        out.backward()
    assert "is at version 40; expected version 8 or lower instead" in message(info)


FRESH = """
import numpy as np
import microgradnn as mg
x = mg.Tensor([1.0, 2.0], requires_grad=True)
with mg.no_grad():
    print(len((x * x).parents))
out = (x * x).sum()
with mg.no_grad():
    x += 1.0
try:
    out.backward()
except RuntimeError as error:
    print("raised", "is at version 1; expected version 0" in str(error))
f = mg.Tensor(np.ones(2, dtype=np.float32)).requires_grad_()
(f * np.array([2.0, 3.0])).sum().backward()
print(f.grad.dtype)
"""


def test_in_a_fresh_process_modes_and_versions_work_from_the_first_op() -> None:
    """Grad mode and the version check both take a fast path decided by process-wide state
    (no thread out of the default modes, no float32 leaf yet); a new process starts on it."""
    exec(FRESH, {})  # the same steps here too (what mutmut records as this test's reach)
    done = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.stdout.split() == ["0", "raised", "True", "float32"], done.stderr


def test_reductions_drop_the_reduced_axes_by_default() -> None:
    x = T([[1.0, 2.0], [3.0, 4.0]])
    for op in ("sum", "mean", "max", "min", "logsumexp"):
        assert getattr(x, op)().shape == (), op
        assert getattr(x, op)(axis=0).shape == (2,), op


def test_version_errors_name_whose_data_changed() -> None:
    x = T([1.0, 2.0], name="x")
    e = x.exp()
    out = (e * 1.0).sum()
    with mg.no_grad():
        e.detach().__iadd__(1.0)  # a leaf sharing e's memory and its counter
    with pytest.raises(RuntimeError, match=r"\] <exp>, the output of 'exp' itself, is at "):
        out.backward()
    w = T([3.0], name="w")
    h = x * 2.0
    out = (h * w).sum()  # h's data is read for w's gradient
    with mg.no_grad():
        h.detach().__iadd__(1.0)
    with pytest.raises(RuntimeError, match=r"\] <\*>, output of '\*', is at version 1"):
        out.backward()


def test_division_saves_only_what_its_gradients_read() -> None:
    a = T([2.0, 4.0])
    out = (a / np.array([2.0, 8.0])).sum()  # a constant divisor: nothing read at backward
    with mg.no_grad():
        a += 1.0
    out.backward()
    assert a.grad.tolist() == [0.5, 0.125]
    b = T([2.0, 4.0])
    q = a / b
    with mg.no_grad():
        q.detach().__iadd__(1.0)  # ∂/∂b = -g·out/b reads the output
    with pytest.raises(RuntimeError, match="the output of '/' itself"):
        q.sum().backward()
    c = mg.Tensor([2.0, 4.0])  # a divisor that needs no gradient: the output is not read
    q = a / c
    with mg.no_grad():
        q.detach().__iadd__(1.0)
    a.zero_grad()
    q.sum().backward()
    assert a.grad.tolist() == [0.5, 0.25]


def test_results_require_grad_only_when_an_operand_does() -> None:
    A, B = np.ones((2, 2)), np.ones((2, 2))
    assert not (mg.Tensor(A) @ mg.Tensor(B)).requires_grad
    assert (T(A) @ mg.Tensor(B)).requires_grad and (mg.Tensor(A) @ T(B)).requires_grad
    assert not mg.Tensor(A).sum(axis=0).requires_grad
    assert T(A).sum(axis=0).op == "sum" and T(A).sum(axis=0, keepdims=True).op == "sum"


def test_a_constant_over_a_tensor_on_the_checked_path() -> None:
    b = T([2.0, 4.0])
    out = (np.array([8.0, 8.0]) / b).sum()
    other = mg.Tensor([0.0])
    other += 1.0  # a change newer than the node: its backward takes the checked path
    out.backward()
    assert b.grad.tolist() == [-2.0, -0.5]


def test_a_tensor_as_an_index_is_refused_with_the_whole_explanation() -> None:
    x = mg.Tensor([1.0, 2.0])
    with pytest.raises(TypeError) as info:
        x[mg.Tensor([1.0, 0.0], name="m")]
    assert message(info) == (
        "index: m is a Tensor, which always holds floats (bools become 1.0/0.0, so a mask "
        "would pick positions 1 and 0); index with a NumPy array instead: "
        "t.data.astype(bool) for a mask, t.data.astype(int) for positions")


def test_a_constant_array_of_text_is_refused_naming_the_op() -> None:
    with pytest.raises(TypeError) as info:
        T([1.0]) + np.array(["a"])
    assert message(info) == ("+: constant operand: cannot hold an array of dtype <U1; "
                             "expected real numbers (float, int or bool)")


def test_unusual_number_types_as_constants_keep_the_dtype_contract() -> None:
    from fractions import Fraction

    t = T([1.0, 2.0])
    assert (t * Fraction(1, 3)).dtype == np.float64
    assert (t * np.longdouble(2)).dtype == np.float64
