"""NumPy ports with a learner's mistake each (row-major, labels 0..K-1)."""

import numpy as np
from _course import sigmoid, sigmoid_gradient


def _forward(nn_params, s1, s2, K, X):
    n1 = s2 * (s1 + 1)
    Theta1 = nn_params[:n1].reshape(s2, s1 + 1)
    Theta2 = nn_params[n1:].reshape(K, s2 + 1)
    m = X.shape[0]
    a1 = np.hstack([np.ones((m, 1)), X])
    z2 = a1 @ Theta1.T
    a2 = np.hstack([np.ones((m, 1)), sigmoid(z2)])
    return Theta1, Theta2, a1, z2, a2, sigmoid(a2 @ Theta2.T)


def _cost(Theta1, Theta2, Y, h, lam):
    m = Y.shape[0]
    reg = np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2)
    return -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m + lam / (2 * m) * reg


def one_hot_from_present_labels(nn_params, s1, s2, K, X, y, lam):
    """Wrong: Y has one column per label present in y, not one per class 1..K."""
    Theta1, Theta2, a1, z2, a2, h = _forward(nn_params, s1, s2, K, X)
    Y = (y[:, None] == np.unique(y)[None, :]).astype(float)
    m = X.shape[0]
    d3 = h - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoid_gradient(z2)
    G1, G2 = d2.T @ a1 / m, d3.T @ a2 / m
    G1[:, 1:] += lam / m * Theta1[:, 1:]
    G2[:, 1:] += lam / m * Theta2[:, 1:]
    return _cost(Theta1, Theta2, Y, h, lam), np.concatenate([G1.ravel(), G2.ravel()])


def changes_nn_params(nn_params, s1, s2, K, X, y, lam):
    """Wrong: zeroes the bias columns of the caller's nn_params (reshape gives views)."""
    Theta1, Theta2, a1, z2, a2, h = _forward(nn_params, s1, s2, K, X)
    m = X.shape[0]
    Y = np.eye(K)[y]
    J = _cost(Theta1, Theta2, Y, h, lam)
    d3 = h - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoid_gradient(z2)
    G1, G2 = d2.T @ a1 / m, d3.T @ a2 / m
    Theta1[:, 0] = 0.0  # "regularise without the bias" by zeroing it in place
    Theta2[:, 0] = 0.0
    G1 += lam / m * Theta1
    G2 += lam / m * Theta2
    return J, np.concatenate([G1.ravel(), G2.ravel()])


def g_prime_of_a(nn_params, s1, s2, K, X, y, lam):
    """Wrong: sigmoid_gradient(a2) where the lecture has g'(z2)."""
    Theta1, Theta2, a1, _z2, a2, h = _forward(nn_params, s1, s2, K, X)
    m = X.shape[0]
    Y = np.eye(K)[y]
    d3 = h - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoid_gradient(a2[:, 1:])
    G1, G2 = d2.T @ a1 / m, d3.T @ a2 / m
    G1[:, 1:] += lam / m * Theta1[:, 1:]
    G2[:, 1:] += lam / m * Theta2[:, 1:]
    return _cost(Theta1, Theta2, Y, h, lam), np.concatenate([G1.ravel(), G2.ravel()])


def mixed_labels(nn_params, s1, s2, K, X, y, lam):
    """Wrong: J reads y as 1..K, the gradient as 0..K-1."""
    Theta1, Theta2, a1, z2, a2, h = _forward(nn_params, s1, s2, K, X)
    m = X.shape[0]
    J = _cost(Theta1, Theta2, (y[:, None] == np.arange(1, K + 1)).astype(float), h, lam)
    Y = (y[:, None] == np.arange(K)).astype(float)
    d3 = h - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoid_gradient(z2)
    G1, G2 = d2.T @ a1 / m, d3.T @ a2 / m
    G1[:, 1:] += lam / m * Theta1[:, 1:]
    G2[:, 1:] += lam / m * Theta2[:, 1:]
    return J, np.concatenate([G1.ravel(), G2.ravel()])
