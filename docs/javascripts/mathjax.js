// MathJax 3 configuration for pymdownx.arithmatex (generic mode). MathJax itself is
// served from this site (assets/mathjax/, copied from the django-static-mathjax package).
window.MathJax = {
  tex: {
    // \( \) and \[ \] from pymdownx.arithmatex; $ and $$ in notebook Markdown cells
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown",
  },
};

// Typeset again after each instant-navigation page change.
document$.subscribe(() => {
  if (window.MathJax && MathJax.typesetPromise) {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
  }
});
