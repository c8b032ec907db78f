function g = sigmoid(z)
%SIGMOID the logistic function.
g = 1.0 ./ (1.0 + exp(-z));
end
