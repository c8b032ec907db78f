function [J grad] = nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda)
%NNCOSTFUNCTION the course's two-layer network: J and its gradient, unrolled column-major.
% BANK: not-implemented: the cost only, grad left at the template's zeros
Theta1 = reshape(nn_params(1:hidden_layer_size * (input_layer_size + 1)), ...
                 hidden_layer_size, (input_layer_size + 1));
Theta2 = reshape(nn_params((1 + (hidden_layer_size * (input_layer_size + 1))):end), ...
                 num_labels, (hidden_layer_size + 1));
m = size(X, 1);
I = eye(num_labels);
Y = I(y, :);
a1 = [ones(m, 1) X];
z2 = a1 * Theta1';
a2 = [ones(m, 1) sigmoid(z2)];
h = sigmoid(a2 * Theta2');
reg = sum(sum(Theta1(:, 2:end) .^ 2)) + sum(sum(Theta2(:, 2:end) .^ 2));
J = -sum(sum(Y .* log(h) + (1 - Y) .* log(1 - h))) / m + lambda / (2 * m) * reg;
Theta1_grad = zeros(size(Theta1));
Theta2_grad = zeros(size(Theta2));
grad = [Theta1_grad(:) ; Theta2_grad(:)];
end
