// MathJax 3 configuration for pymdownx.arithmatex (generic mode). MathJax itself is
// served from this site (assets/mathjax/, copied from the django-static-mathjax package).
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",  // notebook pages get the same spans (tools/notebooks.py)
  },
};

// Typeset again after each instant-navigation page change. The first page is
// typeset by MathJax's own startup; later ones are queued behind any typesetting
// still in progress (re-typesetting concurrently leaves \boldsymbol etc. undefined
// while their extensions are still loading).
let firstPage = true;
document$.subscribe(() => {
  if (firstPage) {
    firstPage = false;
    return;
  }
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise();
  });
});
