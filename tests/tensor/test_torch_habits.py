"""What a PyTorch user tries first (issue 13): each spelling works and gives PyTorch's
numbers (float64), or a clear error where the two libraries differ on purpose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import microgradnn as mg

X = np.arange(1.0, 25.0).reshape(2, 3, 4) / 7.0


def _both(fn_mg: Callable[[Any], Any], fn_th: Callable[[Any], Any]
          ) -> tuple[mg.Tensor, torch.Tensor, Any, Any]:
    """Apply each function to a leaf, backpropagate a fixed upstream gradient, return both."""
    a = mg.Tensor(X, requires_grad=True)
    b = torch.tensor(X, requires_grad=True)
    out_mg, out_th = fn_mg(a), fn_th(b)
    up = np.cos(np.arange(out_th.numel())).reshape(tuple(out_th.shape))
    out_mg.backward(up)
    out_th.backward(torch.from_numpy(up))
    return a, b, out_mg, out_th


@pytest.mark.parametrize(("name", "fn"), [
    ("sum dim", lambda t: t.sum(dim=1)),
    ("sum dim keepdim", lambda t: t.sum(dim=(0, 2), keepdim=True)),
    ("mean dim", lambda t: t.mean(dim=-1, keepdim=True)),
    ("logsumexp dim", lambda t: t.logsumexp(dim=2)),
    ("softmax dim", lambda t: t.softmax(dim=1)),
    ("log_softmax dim", lambda t: t.log_softmax(dim=0)),
    ("view", lambda t: t.view(4, 6)),
    ("view tuple", lambda t: t.view((6, -1))),
    ("flatten", lambda t: t.flatten()),
    ("flatten 1", lambda t: t.flatten(1)),
    ("flatten 0..1", lambda t: t.flatten(0, 1)),
    ("unsqueeze 0", lambda t: t.unsqueeze(0)),
    ("unsqueeze -1", lambda t: t.unsqueeze(-1)),
    ("squeeze", lambda t: t.unsqueeze(1).squeeze()),
    ("squeeze dim", lambda t: t.unsqueeze(1).squeeze(1)),
    ("squeeze dim not 1", lambda t: t.squeeze(0)),
    ("clone", lambda t: t.clone() * 2),
    ("double", lambda t: t.double() * 3),
])
def test_pytorch_spellings_match_pytorch(name: str, fn: Callable[[Any], Any]) -> None:
    a, b, out_mg, out_th = _both(fn, fn)
    assert out_mg.shape == tuple(out_th.shape)
    np.testing.assert_allclose(out_mg.data, out_th.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("reduction", ["max", "min"])
def test_max_min_with_dim_give_the_values(reduction: str) -> None:
    a, b, out_mg, out_th = _both(lambda t: getattr(t, reduction)(dim=1, keepdim=True),
                                 lambda t: getattr(t, reduction)(dim=1, keepdim=True).values)
    np.testing.assert_allclose(out_mg.data, out_th.detach().numpy())
    np.testing.assert_allclose(a.grad, b.grad.numpy())


def test_float_casts_to_float32_and_the_gradient_back() -> None:
    a = mg.Tensor(X, requires_grad=True)
    f = a.float()
    assert f.dtype == np.float32 and float(mg.Tensor(2.5)) == 2.5
    (f * 2).sum().backward()
    assert a.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, np.full(X.shape, 2.0))
    w = mg.Tensor(np.ones(2, np.float32), requires_grad=True)
    (w.astype(np.float64) * np.ones(2)).sum().backward()
    assert w.grad.dtype == np.float32
    with pytest.raises(TypeError, match="astype: dtype int64 is not supported"):
        a.astype(np.int64)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_argmax_argmin_match_pytorch(op: str) -> None:
    values = np.array([[3.0, -1.0, 7.0], [0.5, 9.0, 2.0]])
    t, th = mg.Tensor(values), torch.tensor(values)
    assert getattr(t, op)() == getattr(th, op)().item()
    np.testing.assert_array_equal(getattr(t, op)(dim=1), getattr(th, op)(dim=1).numpy())
    np.testing.assert_array_equal(getattr(t, op)(axis=0, keepdims=True),
                                  getattr(th, op)(dim=0, keepdim=True).numpy())
    assert getattr(t, op)(dim=1).dtype == np.int64


def test_tolist_matches_pytorch() -> None:
    assert mg.Tensor(X).tolist() == torch.tensor(X).tolist()
    assert mg.Tensor(2.5).tolist() == 2.5


def test_shape_errors_name_the_dim() -> None:
    t = mg.Tensor(X, name="t")
    with pytest.raises(ValueError, match=r"unsqueeze: dim 5 is not valid for t of shape "
                                         r"\(2, 3, 4\); expected an int in \[-4, 4\)"):
        t.unsqueeze(5)
    with pytest.raises(ValueError, match="flatten: start_dim 2 comes after end_dim 0"):
        t.flatten(2, 0)


def test_retain_graph_is_accepted_and_graphs_are_kept() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    out = (x * x).sum()
    out.backward(retain_graph=True)
    out.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    s = mg.Scalar(3.0)
    y = s * s
    y.backward(retain_graph=False)  # still kept: nothing is ever freed
    (g,) = mg.grad(y, [s], retain_graph=True)
    assert g == 6.0 and s.grad == 6.0


# -- factories ----------------------------------------------------------------------------------
def test_factories_shapes_values_and_flags() -> None:
    z = mg.zeros(2, 3)
    o = mg.ones((2, 3), requires_grad=True, name="o")
    assert z.shape == o.shape == (2, 3) and not z.data.any() and o.data.all()
    assert o.requires_grad and o.name == "o" and z.dtype == np.float64
    assert mg.zeros(4, dtype=np.float32).dtype == np.float32
    np.testing.assert_array_equal(mg.arange(4).data, torch.arange(4).numpy())
    np.testing.assert_allclose(mg.arange(1, 2, 0.25).data,
                               torch.arange(1, 2, 0.25, dtype=torch.float64).numpy())
    r = mg.rand(1000)
    assert r.shape == (1000,) and 0.0 <= r.data.min() and r.data.max() < 1.0
    n = mg.randn(4000)
    assert abs(n.data.mean()) < 0.1 and abs(n.data.std() - 1.0) < 0.1


def test_manual_seed_makes_random_factories_repeat() -> None:
    mg.manual_seed(7)
    first = (mg.randn(3).data, mg.rand(2, 2).data)
    mg.manual_seed(7)
    again = (mg.randn(3).data, mg.rand(2, 2).data)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    mg.manual_seed(8)
    assert not np.array_equal(mg.randn(3).data, first[0])
    g1, g2 = np.random.default_rng(3), np.random.default_rng(3)
    np.testing.assert_array_equal(mg.randn(5, generator=g1).data, mg.randn(5, generator=g2).data)


def test_tensor_factory_copies_like_torch_tensor() -> None:
    source = np.array([1.0, 2.0])
    t = mg.tensor(source, requires_grad=True)
    source[0] = 100.0
    assert t.tolist() == [1.0, 2.0] and t.requires_grad
    u = mg.tensor(t * 2)
    assert u.is_leaf and u.tolist() == [2.0, 4.0]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: mg.zeros(2, -1), ValueError, r"zeros: sizes must be integers >= 0"),
    (lambda: mg.ones(2.5), ValueError, r"ones: sizes must be integers >= 0"),
    (lambda: mg.randn(2, generator=3), TypeError, "randn: generator must be a numpy.random"),
    (lambda: mg.arange(0, 1, 0), ValueError, "arange: step must be non-zero"),
    (lambda: mg.manual_seed("1"), ValueError, "manual_seed: seed must be an integer"),
])
def test_factory_errors(call: Callable[[], object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


# -- Scalar and Tensor together; the namespaces ---------------------------------------------------
@pytest.mark.parametrize("mix", [lambda s, t: s + t, lambda s, t: t + s, lambda s, t: t * s,
                                 lambda s, t: s * t])
def test_scalar_and_tensor_do_not_mix_and_say_why(mix: Callable[[Any, Any], Any]) -> None:
    s, t = mg.Scalar(1.0, name="s"), mg.Tensor([1.0, 2.0], name="t")
    with pytest.raises(TypeError, match=r"cannot combine a (Scalar|Tensor) with a (Tensor|"
                                        r"Scalar) \((t|s)\); Scalar and Tensor graphs are "
                                        r"separate"):
        mix(s, t)


def test_dir_lists_public_names_only() -> None:
    names = dir(mg)
    for helper in ("Any", "TYPE_CHECKING", "importlib", "annotations"):
        assert helper not in names
    for public in ("Tensor", "zeros", "manual_seed", "inference_mode", "nn", "draw_graph"):
        assert public in names
    for name in names:
        getattr(mg, name)  # every listed name resolves


def test_dir_of_nn_lists_its_lazy_names() -> None:
    names = dir(mg.nn)
    for lazy in ("Linear", "MLP", "Sequential", "functional", "Network"):
        assert lazy in names
    for name in names:
        getattr(mg.nn, name)
