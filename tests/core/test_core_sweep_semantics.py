"""The graph core's sweep and modes, pinned where the everyday tests do not look: the order
it returns, what it leaves in nodes it did not reach, what a node type must supply, what
``grad`` restores, hooks, and modes nested inside one another."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import microgradnn as mg
from microgradnn.core import Node
from microgradnn.core.order import stamp


class Bare(Node):
    """A node type that supplies none of the node protocol (no _seed, _vjp, _is_finite)."""

    __slots__ = ()

    def __init__(self, value: float, op: str = "", inputs: Any = None, da: Any = None) -> None:
        self.data, self.grad, self.name, self.op = value, None, None, op
        self._a, self._b, self._da, self._db = inputs, None, da, None
        self._hooks = None
        self._order = stamp()


def test_a_node_type_must_supply_the_protocol() -> None:
    leaf = Bare(1.0)
    with pytest.raises(TypeError) as info:
        leaf.backward()
    assert str(info.value) == ("Bare has no implicit starting gradient; "
                               "pass backward(gradient=...)")
    op = Bare(2.0, op="f", inputs=leaf)  # _da None: a _vjp rule is expected, and missing
    with pytest.raises(TypeError) as info:
        op.backward(gradient=1.0)
    assert str(info.value) == ("Bare op 'f' states no chain rule: a node type gives each op "
                               "local derivatives (_da, _db) or a _vjp rule")
    with pytest.raises(TypeError) as info:
        Node._is_finite(1.0)
    assert str(info.value) == "a node type must say how to test its values for NaN and inf"
    unary = Bare(3.0, op="g", inputs=leaf, da=2.0)  # local derivatives: the sweep needs no more
    unary.backward(gradient=5.0)
    assert leaf.grad == 10.0 and unary.grad == 5.0  # the default _check_gradient keeps it
    assert leaf._own_grad(leaf.grad) == 10.0


def test_labels_for_messages() -> None:
    x = mg.Scalar(1.0)
    assert x.label() == "<leaf>"
    assert (x * 2.0).label() == "<*>"
    assert mg.Scalar(1.0, name="w").label() == "w"


def test_topological_order_is_creation_order_over_every_edge_form() -> None:
    a, b, c = mg.Scalar(1.0), mg.Scalar(2.0), mg.Scalar(3.0)
    unused = mg.Scalar(9.0)
    ab = a * b
    s = mg.Scalar.sum([ab, c, a])
    t = s.tanh()
    d = mg.Scalar.dot([t, b], [c, t])
    root = d - ab
    order = mg.topological_order(root)
    assert order == [a, b, c, ab, s, t, d, root]
    assert unused not in order and None not in order
    assert mg.topological_order(a) == [a]
    tensor = mg.Tensor([1.0, 2.0], requires_grad=True)
    tt = mg.stack([tensor, tensor * 2.0])
    assert mg.topological_order(tt.sum())[:2] == [tensor, tt.parents[1]]


def test_intermediates_get_this_pass_and_unreached_leaves_keep_their_grad() -> None:
    X = mg.Tensor([[1.0, 2.0]])  # data: needs no gradient, but is a parent of the product
    X.grad = np.array([[7.0, 7.0]])  # whatever it held stays: the pass never reaches it
    w = mg.Tensor([[3.0], [4.0]], requires_grad=True)
    (X @ w).sum().backward()
    assert np.array_equal(X.grad, [[7.0, 7.0]])
    assert np.array_equal(w.grad, [[1.0], [2.0]])
    X.grad = None
    (X @ w).sum().backward()
    assert X.grad is None and np.array_equal(w.grad, [[2.0], [4.0]])


def test_a_leaf_given_delta_unchanged_gets_its_own_copy() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    h = x + np.zeros(2)  # the add rule hands δ through unchanged
    out = h * np.array([3.0, 5.0])
    out.sum().backward()
    assert np.array_equal(x.grad, [3.0, 5.0])
    x.grad[0] = 100.0  # changing the leaf's grad in place ...
    assert np.array_equal(h.grad, [3.0, 5.0])  # ... leaves the δ shown for h alone
    with mg.detect_anomaly():  # the checked path makes the same copy
        x.zero_grad()
        out = x + np.zeros(2)
        out.backward(gradient=np.array([1.0, 1.0]))
        x.grad[1] = -1.0
        assert np.array_equal(out.grad, [1.0, 1.0])


def test_anomaly_names_a_tensor_rule_that_makes_a_non_finite_gradient() -> None:
    x = mg.Tensor([0.0, 1.0], requires_grad=True, name="x")
    root = x.sqrt()  # √0 = 0 is finite; its slope is not
    with mg.detect_anomaly(), np.errstate(divide="ignore"), \
            pytest.raises(mg.AnomalyError) as info:
        root.sum().backward()
    assert str(info.value).startswith("backward of 'sqrt' (node <sqrt>) produced a non-finite "
                                      "gradient for its input x: ")
    assert x.grad is None


def test_anomaly_mode_sweeps_every_scalar_edge_form_to_the_same_numbers() -> None:
    def sweep() -> list[float | None]:
        a, b, c = mg.Scalar(0.3), mg.Scalar(-1.2), mg.Scalar(2.0)
        root = (mg.Scalar.dot([a, b], [c, a], bias=b) * a).exp() + mg.Scalar.sum([a, c]) * b
        root = -root + c.sigmoid()
        root.backward()
        return [a.grad, b.grad, c.grad]

    plain = sweep()
    with mg.detect_anomaly():
        assert sweep() == plain


def test_hooks_on_intermediates_replace_what_flows_on() -> None:
    x = mg.Scalar(2.0, name="x")
    h = x * 3.0
    h.register_hook(lambda g: g * 100.0)
    h.register_hook(lambda g: None)  # a hook returning None keeps the gradient
    out = h * h
    out.backward()
    assert h.grad == 1200.0 and x.grad == 3600.0
    other = mg.Scalar(1.0)
    handle = other.register_hook(lambda g: g + 1.0)
    handle.remove()
    handle.remove()
    (other * 2.0).backward()
    assert other.grad == 2.0
    keep = x.register_hook(lambda g: g * 0.0)
    handle2 = x.register_hook(lambda g: g + 1.0)
    handle2.remove()  # removes only its own hook
    x.zero_grad()
    (x * 5.0).backward()
    assert x.grad == 0.0
    keep.remove()
    with pytest.raises(TypeError) as info:
        x.register_hook(3)
    assert str(info.value) == "register_hook expects a callable, got int"


def test_a_hook_on_a_node_the_pass_cannot_reach_is_refused() -> None:
    c = mg.Tensor([2.0])  # needs no gradient: no backward pass ever reaches it
    with pytest.raises(RuntimeError) as info:
        c.register_hook(lambda g: g)
    assert "does not require grad" in str(info.value)
    w = mg.Tensor([1.0], requires_grad=True)
    (w * c).sum().backward()
    assert c.grad is None


def test_functional_grad_restores_every_node_and_reads_intermediates() -> None:
    x = mg.Scalar(2.0, name="x")
    h = x * 3.0
    out = h * h
    out.backward()
    before = (x.grad, h.grad, out.grad)
    gh, gx = mg.grad(out, [h, x])
    assert (gh, gx) == (12.0, 36.0)
    assert (x.grad, h.grad, out.grad) == before
    assert mg.grad(out, x) == (36.0,)  # one node, not a list: still a tuple
    assert mg.grad(out, x, gradient=0.5) == (18.0,)
    assert mg.grad(out, (n for n in [x])) == (36.0,)
    with pytest.raises(TypeError) as info:
        mg.grad(out, [x, 2.0])
    assert str(info.value) == "grad: inputs must be nodes, got float"
    stranger = mg.Scalar(1.0, name="s")
    with pytest.raises(ValueError) as info:
        mg.grad(out, [stranger])
    assert str(info.value) == ("grad: output <*> does not depend on input s "
                               "(pass allow_unused=True to get None for it)")
    assert mg.grad(out, [stranger, x], allow_unused=True) == (None, 36.0)


def test_functional_grad_restores_leaves_when_the_pass_fails() -> None:
    x = mg.Scalar(4.0)
    (x * 1.0).backward()
    h = x * 1.0
    h.register_hook(lambda g: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        mg.grad(h * 2.0, [x])
    assert x.grad == 1.0 and h.grad is None


# --------------------------------------------------------------------------- modes
def test_set_grad_enabled_keeps_anomaly_mode_and_restores_both() -> None:
    with mg.detect_anomaly():
        with mg.set_grad_enabled(False):
            assert mg.is_anomaly_enabled() and not mg.is_grad_enabled()
            with mg.no_grad():
                assert mg.is_anomaly_enabled()
            with mg.enable_grad():
                assert mg.is_anomaly_enabled() and mg.is_grad_enabled()
        assert mg.is_grad_enabled() and mg.is_anomaly_enabled()
        mode = mg.set_grad_enabled(0)
        assert mode.mode is False and not mg.is_grad_enabled() and mg.is_anomaly_enabled()
        mg.set_grad_enabled("yes")
        assert mg.is_grad_enabled() is True
    assert not mg.is_anomaly_enabled()


def test_modes_restore_after_an_exception_and_nest() -> None:
    with pytest.raises(RuntimeError), mg.no_grad():
        raise RuntimeError("inside")
    assert mg.is_grad_enabled()
    x = mg.Scalar(1.0)
    with mg.no_grad(), mg.no_grad():
        pass
    assert (x * x).parents == (x, x)  # back in the default mode, ops record again

    @mg.detect_anomaly()
    def checked() -> bool:
        return mg.is_anomaly_enabled() and mg.is_grad_enabled()

    @mg.enable_grad()
    def recording(depth: int) -> bool:
        if depth:
            with mg.no_grad():
                return recording(depth - 1) and not mg.is_grad_enabled()
        return mg.is_grad_enabled()

    assert checked() and not mg.is_anomaly_enabled()
    with mg.no_grad():
        assert recording(2) and not mg.is_grad_enabled()
    assert recording.__name__ == "recording"  # functools.wraps keeps the name

    @mg.no_grad()
    def fails() -> None:
        raise ValueError("x")

    with pytest.raises(ValueError):
        fails()
    assert mg.is_grad_enabled() and (x * x).parents == (x, x)


def test_functional_grad_returns_what_leaf_hooks_make_and_none_for_strangers() -> None:
    x = mg.Scalar(2.0, name="x")
    x.register_hook(lambda g: g * 10.0)
    out = x * 3.0
    assert mg.grad(out, [x]) == (30.0,)  # the hook's gradient, as backward() would store
    stranger = mg.Scalar(1.0, name="s")
    (stranger * 2.0).backward()  # it holds a grad from an unrelated pass
    assert mg.grad(out, [stranger], allow_unused=True) == (None,)
    assert stranger.grad == 2.0


def test_the_mode_counter_counts_what_is_out_of_the_default_modes() -> None:
    """Ops consult the thread-local modes only while this counter is non-zero, so it must
    come back to where it was after every switch, and rise while a mode is on."""
    from microgradnn.core.modes import departures

    base = departures.threads
    with mg.no_grad():
        assert departures.threads == base + 1
        with mg.detect_anomaly():
            assert departures.threads == base + 1
        with mg.enable_grad():
            assert departures.threads == base
        assert departures.threads == base + 1
    assert departures.threads == base
    with mg.detect_anomaly():
        assert departures.threads == base + 1
    mg.set_grad_enabled(False)
    assert departures.threads == base + 1
    mg.set_grad_enabled(True)
    assert departures.threads == base


def test_a_node_type_without_nan_checks_or_second_derivatives_says_so() -> None:
    with pytest.raises(TypeError) as info:
        Bare._check_forward(1.0, "f", ())
    assert str(info.value) == "a node type must say how to check an op's output for NaN and inf"
    leaf = Bare(1.0)
    op = Bare(2.0, op="f", inputs=leaf, da=2.0)
    with pytest.raises(TypeError) as info:
        op.backward(gradient=1.0, create_graph=True)
    assert str(info.value) == "Bare has no node form for gradients"

    class Seeded(Bare):  # gradients as nodes, but no op that records a second graph
        __slots__ = ()

        def _as_node(self, g: Any) -> Any:
            return Seeded(g)

    root = Seeded(2.0, op="f", inputs=Seeded(1.0), da=2.0)
    with pytest.raises(TypeError) as info:
        root.backward(gradient=1.0, create_graph=True)
    assert str(info.value) == "Seeded cannot differentiate 'f' twice"


def test_contributions_are_the_chain_rule_terms_each_parent_receives() -> None:
    a, b = mg.Scalar(2.0), mg.Scalar(5.0)
    assert a.contributions(1.0) == []  # a leaf sends nothing
    assert (a * b).contributions(3.0) == [15.0, 6.0]  # δ·b to a, δ·a to b, in parent order
    assert (a * a).contributions(1.0) == [2.0, 2.0]  # one term per edge: a*a has two
    assert (a * 4.0).contributions(0.5) == [2.0]
    assert mg.Scalar.sum([a, b, a]).contributions(2.0) == [2.0, 2.0, 2.0]
    d = mg.Scalar.dot([a, b], [b, 3.0])  # a·b + b·3: parents a, b (as a weight), b (as an x)
    assert d.parents == (a, b, b) and d.contributions(1.0) == [5.0, 3.0, 2.0]
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    w = mg.Tensor([3.0, 4.0], requires_grad=True)
    terms = (x * w).contributions(np.array([1.0, 10.0]))  # a Tensor op: its VJP rules
    assert len(terms) == 2
    np.testing.assert_array_equal(terms[0], [3.0, 40.0])
    np.testing.assert_array_equal(terms[1], [1.0, 20.0])
    (only_x,) = (x * 2.0).contributions(np.ones(2))
    np.testing.assert_array_equal(only_x, [2.0, 2.0])
    assert x.contributions(np.ones(2)) == []
    (soft,) = x.softplus().contributions(2.0)  # a plain number as δ: 2·σ(x)
    np.testing.assert_allclose(soft, 2.0 / (1.0 + np.exp(-np.array([1.0, 2.0]))))


def test_an_op_output_has_no_name_until_given_one() -> None:
    a = mg.Scalar(2.0, name="a")
    t = mg.Tensor([1.0], requires_grad=True, name="t")
    for out in (a * 3.0, mg.Scalar.sum([a, a]), t * 2.0, mg.concatenate([t, t])):
        assert out.name is None and out.label() == f"<{out.op}>"


def test_a_create_graph_pass_runs_hooks_and_a_functions_own_backward() -> None:
    x = mg.Scalar(2.0, name="x")
    y = x * x
    seen: list[Any] = []

    def triple(g: Any) -> Any:
        seen.append(g)
        return g * 3.0  # a node in, a node out: the replacement stays differentiable

    y.register_hook(triple)
    (g,) = mg.grad(y, [x], create_graph=True)
    assert g.data == 12.0 and len(seen) == 1 and seen[0].data == 1.0  # 3 · 2x
    assert mg.grad(g, [x]) == (6.0,)  # 3 · 2

    from custom_ops import Cube  # DESIGN.md's example

    for leaf in (mg.Scalar(2.0), mg.Tensor([2.0, -1.0], requires_grad=True)):
        out = Cube.apply(leaf)
        (g,) = mg.grad(out if isinstance(leaf, mg.Scalar) else out.sum(), [leaf],
                       create_graph=True)
        np.testing.assert_array_equal(np.asarray(g.data), 3.0 * np.asarray(leaf.data) ** 2)
        (h,) = mg.grad(g if isinstance(leaf, mg.Scalar) else g.sum(), [leaf])
        np.testing.assert_array_equal(np.asarray(h), 6.0 * np.asarray(leaf.data))  # 6v


@pytest.mark.parametrize("mode", ["no_grad", "enable_grad", "detect_anomaly"])
def test_a_mode_used_as_a_decorator_of_a_non_function_names_itself(mode: str) -> None:
    with pytest.raises(TypeError) as info:
        getattr(mg, mode)()(5)
    assert str(info.value) == f"{mode}() as a decorator expects a function, got int"
