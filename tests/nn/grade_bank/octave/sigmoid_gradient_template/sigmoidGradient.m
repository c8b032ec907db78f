function g = sigmoidGradient(z)
%SIGMOIDGRADIENT the exercise's template, not filled in.
g = zeros(size(z));
% ====================== YOUR CODE HERE ======================
% =============================================================
end
