// MathJax 3 settings, read by docs/js/mathjax/tex-svg-full.js when it loads (after this).
// pymdownx.arithmatex (generic mode) wraps every formula in an element of class
// "arithmatex" as \( ... \) or \[ ... \]; only those elements are typeset, so a "$" or a
// backslash in code or in prose is never taken for maths.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
  svg: { fontCache: "global" },
};
