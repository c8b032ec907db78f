function [J grad] = nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda)
%NNCOSTFUNCTION the course's two-layer network: J and its gradient, unrolled column-major.
% BANK: unrolling-order: consistently row-major, which the course's driver does not use
Theta1 = reshape(nn_params(1:hidden_layer_size * (input_layer_size + 1)), ...
                 (input_layer_size + 1), hidden_layer_size)';
Theta2 = reshape(nn_params((1 + (hidden_layer_size * (input_layer_size + 1))):end), ...
                 (hidden_layer_size + 1), num_labels)';
m = size(X, 1);
I = eye(num_labels);
Y = I(y, :);
a1 = [ones(m, 1) X];
z2 = a1 * Theta1';
a2 = [ones(m, 1) sigmoid(z2)];
h = sigmoid(a2 * Theta2');
reg = sum(sum(Theta1(:, 2:end) .^ 2)) + sum(sum(Theta2(:, 2:end) .^ 2));
J = -sum(sum(Y .* log(h) + (1 - Y) .* log(1 - h))) / m + lambda / (2 * m) * reg;
d3 = h - Y;
d2 = (d3 * Theta2(:, 2:end)) .* sigmoidGradient(z2);
Theta1_grad = d2' * a1 / m;
Theta2_grad = d3' * a2 / m;
Theta1_grad(:, 2:end) = Theta1_grad(:, 2:end) + lambda / m * Theta1(:, 2:end);
Theta2_grad(:, 2:end) = Theta2_grad(:, 2:end) + lambda / m * Theta2(:, 2:end);
grad = [reshape(Theta1_grad', [], 1) ; reshape(Theta2_grad', [], 1)];
end
