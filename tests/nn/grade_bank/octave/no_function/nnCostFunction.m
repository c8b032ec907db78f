% BANK: a script, not the function
x = 1;
