"""Modules, losses and optimisers for library users, checked against PyTorch (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import microgradnn as mg
from microgradnn.nn import functional as F

RNG = np.random.default_rng(0)


def _torch_grads(loss_fn, *arrays):
    ts = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = loss_fn(*ts)
    out.backward()
    return out.item(), [t.grad.numpy() for t in ts]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_with_logits_matches_torch(reduction):
    z, y = RNG.normal(size=(5, 3)) * 4, RNG.integers(0, 2, size=(5, 3)).astype(float)
    t = mg.Tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(t, y, reduction=reduction)
    loss.backward()
    want, (grad,) = _torch_grads(lambda a: torch.nn.functional.binary_cross_entropy_with_logits(
        a, torch.tensor(y), reduction=reduction), z)
    assert loss.item() == pytest.approx(want, rel=1e-13)
    np.testing.assert_allclose(t.grad, grad, rtol=1e-12, atol=1e-15)


def test_bce_with_logits_saturated_is_finite_and_exact():
    t = mg.Tensor(np.array([[800.0, -800.0]]), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(t, np.array([[0.0, 1.0]]), reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(1600.0)
    np.testing.assert_array_equal(t.grad, [[1.0, -1.0]])


@pytest.mark.parametrize("as_indices", [True, False])
def test_cross_entropy_matches_torch(as_indices):
    z, labels = RNG.normal(size=(6, 4)) * 3, RNG.integers(0, 4, size=6)
    target = labels if as_indices else np.eye(4)[labels]
    t = mg.Tensor(z, requires_grad=True)
    loss = F.cross_entropy(t, target)
    loss.backward()
    want, (grad,) = _torch_grads(lambda a: torch.nn.functional.cross_entropy(
        a, torch.tensor(labels)), z)
    assert loss.item() == pytest.approx(want, rel=1e-13)
    np.testing.assert_allclose(t.grad, grad, rtol=1e-12, atol=1e-15)


def test_mse_matches_torch():
    x, y = RNG.normal(size=(4, 2)), RNG.normal(size=(4, 2))
    t = mg.Tensor(x, requires_grad=True)
    loss = F.mse_loss(t, y)
    loss.backward()
    want, (grad,) = _torch_grads(lambda a: torch.nn.functional.mse_loss(a, torch.tensor(y)), x)
    assert loss.item() == pytest.approx(want, rel=1e-13)
    np.testing.assert_allclose(t.grad, grad, rtol=1e-12)


def test_loss_errors():
    z = mg.Tensor(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"target has shape \(3, 1\) but input has shape "
                                         r"\(3, 2\)"):
        F.binary_cross_entropy_with_logits(z, np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"cross_entropy: target\[1\] = 2 is not a class "
                                         r"index in 0\.\.1"):
        F.cross_entropy(z, [0, 2, 1])
    with pytest.raises(ValueError, match=r"reduction must be one of"):
        F.mse_loss(z, np.zeros((3, 2)), reduction="max")


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_forward_and_grads_match_torch(activation):
    model = mg.nn.MLP([3, 5, 4, 2], activation=activation, seed=1)
    assert len(model.parameters()) == 6 and len(model) == 5
    X, labels = RNG.normal(size=(7, 3)), RNG.integers(0, 2, size=7)
    loss = F.cross_entropy(model(X), labels)
    model.zero_grad()
    loss.backward()
    tm = []
    for p in model.parameters():
        tm.append(torch.tensor(p.data, dtype=torch.float64, requires_grad=True))
    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[activation]
    h = torch.tensor(X)
    for i in range(0, 6, 2):
        h = h @ tm[i].T + tm[i + 1]
        if i < 4:
            h = act(h)
    want = torch.nn.functional.cross_entropy(h, torch.tensor(labels))
    want.backward()
    assert loss.item() == pytest.approx(want.item(), rel=1e-13)
    for p, t in zip(model.parameters(), tm):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-11, atol=1e-14)


def test_linear_rejects_wrong_width():
    with pytest.raises(ValueError, match=r"Linear: input has shape \(2, 4\); expected"):
        mg.nn.Linear(3, 2)(np.zeros((2, 4)))
    with pytest.raises(TypeError, match=r"Sequential: item 1 is a int"):
        mg.nn.Sequential(mg.nn.ReLU(), 3)


@pytest.mark.parametrize("kind", ["sgd", "sgd_momentum", "adam"])
def test_optimisers_match_torch(kind):
    w0 = RNG.normal(size=(3, 2))
    grads = [RNG.normal(size=(3, 2)) for _ in range(5)]
    p = mg.Tensor(w0.copy(), requires_grad=True)
    tp = torch.tensor(w0.copy(), requires_grad=True)
    if kind == "adam":
        opt, topt = mg.optim.Adam([p], lr=0.05), torch.optim.Adam([tp], lr=0.05)
    else:
        mu = 0.9 if kind == "sgd_momentum" else 0.0
        opt, topt = mg.optim.SGD([p], lr=0.1, momentum=mu), torch.optim.SGD([tp], lr=0.1,
                                                                            momentum=mu)
    for g in grads:
        opt.zero_grad()
        p.grad = g
        tp.grad = torch.tensor(g)
        opt.step()
        topt.step()
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_optimiser_skips_params_without_grad_and_checks_input():
    p = mg.Tensor(np.ones(2), requires_grad=True)
    opt = mg.optim.SGD([p], lr=0.1)
    opt.step()
    np.testing.assert_array_equal(p.data, [1.0, 1.0])
    with pytest.raises(ValueError, match=r"lr must be a positive number"):
        mg.optim.Adam([p], lr=-1)
    with pytest.raises(ValueError, match=r"empty parameter list"):
        mg.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"parameter 0 is list"):
        mg.optim.SGD([[1.0]], lr=0.1)


def test_parameters_zero_grad_and_a_training_loop():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float).reshape(-1, 1)  # XOR-like quadrants
    model = mg.nn.MLP([2, 8, 1], activation="tanh", seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    opt = mg.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    losses = []
    for _ in range(150):
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.25 * losses[0]
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
