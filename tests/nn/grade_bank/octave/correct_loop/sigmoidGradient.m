function g = sigmoidGradient(z)
%SIGMOIDGRADIENT g'(z) = g(z) .* (1 - g(z)).
g = sigmoid(z) .* (1 - sigmoid(z));
end
