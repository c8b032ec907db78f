"""Correct NumPy ports of nnCostFunction in each of the four conventions seen in public ports:
unrolling order F (Octave's Theta1(:)) or C (NumPy's ravel()) x labels 1..K or 0..K-1.
Each one is consistent, so each is graded correct in its own convention."""

import numpy as np
from _course import sigmoid, sigmoid_gradient


def _cost_grad(nn_params, s1, s2, K, X, labels0, lam, order):
    n1 = s2 * (s1 + 1)
    Theta1 = nn_params[:n1].reshape((s2, s1 + 1), order=order)
    Theta2 = nn_params[n1:].reshape((K, s2 + 1), order=order)
    m = X.shape[0]
    Y = np.eye(K)[labels0]
    a1 = np.hstack([np.ones((m, 1)), X])
    z2 = a1 @ Theta1.T
    a2 = np.hstack([np.ones((m, 1)), sigmoid(z2)])
    h = sigmoid(a2 @ Theta2.T)
    reg = np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2)
    J = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m + lam / (2 * m) * reg
    d3 = h - Y
    d2 = (d3 @ Theta2[:, 1:]) * sigmoid_gradient(z2)
    G1 = d2.T @ a1 / m
    G2 = d3.T @ a2 / m
    G1[:, 1:] += lam / m * Theta1[:, 1:]
    G2[:, 1:] += lam / m * Theta2[:, 1:]
    return J, np.concatenate([G1.ravel(order=order), G2.ravel(order=order)])


def octave_style(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lam):
    """F order, labels 1..K, y a column (m, 1): the course's own convention."""
    return _cost_grad(nn_params, input_layer_size, hidden_layer_size, num_labels, X,
                      y.ravel().astype(int) - 1, lam, "F")


def row_major_1(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lam):
    """C order, labels 1..K."""
    return _cost_grad(nn_params, input_layer_size, hidden_layer_size, num_labels, X,
                      np.ravel(y).astype(int) - 1, lam, "C")


def numpy_style(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lam):
    """C order, labels 0..K-1, y of shape (m,)."""
    return _cost_grad(nn_params, input_layer_size, hidden_layer_size, num_labels, X,
                      y.astype(int), lam, "C")


def column_major_0(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lam):
    """F order, labels 0..K-1."""
    return _cost_grad(nn_params, input_layer_size, hidden_layer_size, num_labels, X,
                      np.ravel(y).astype(int), lam, "F")


def mixed_order(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lam):
    """Wrong: rolls nn_params row-major but returns grad column-major."""
    J, grad = numpy_style(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lam)
    n1 = hidden_layer_size * (input_layer_size + 1)
    G1 = grad[:n1].reshape(hidden_layer_size, input_layer_size + 1)
    G2 = grad[n1:].reshape(num_labels, hidden_layer_size + 1)
    return J, np.concatenate([G1.ravel(order="F"), G2.ravel(order="F")])
