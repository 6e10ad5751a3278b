"""End-to-end tests: the built site in headless Chromium, checked the way a reader uses it.

Every HTML page of the site is visited (the list comes from the sources: every
Markdown page of docs/, a notebook page per snippets/pages script, 404.html; a
test checks it against the pages the build actually made). The site is built for
and served under a sub-path, http://127.0.0.1:<port>/nndl/, as GitHub Pages serves
a project site (the Pages workflow builds with SITE_URL set), by a plain static
server on 127.0.0.1. Per page, one visit records, and one test per check asserts:

* no console errors, no failed requests, and no request to any other host
  (every such request is aborted and recorded; other host names do not resolve);
* a meta description;
* maths typeset by MathJax: no raw TeX in the visible text outside code, no
  MathJax error marks;
* every image and figure loaded, with a size and alt text;
* zero serious/critical axe-core violations of WCAG 2.2 AA (plus the dialog-name
  rule), with every collapsed block opened; after a click on Material's palette
  toggle the page is in the other scheme; in the dark scheme axe's colour-contrast
  rule passes too, on a sample of pages that together have every kind of element
  of the site (bs.contrast_sample; a test checks the cover);
* every copy button copies exactly the code of its block (no prompts, no output;
  output blocks have no button); on an exercise page the copied blocks, pasted in
  order, are exactly the page's script: the code cells tests/test_notebooks.py runs
  in a fresh kernel of a Python with only NumPy and Matplotlib (tests/test_pages.py
  compiles it as one file and runs its imports there with ``-W error``), and the
  page's output blocks are exactly what that script prints.

For the site as a whole: search puts the right page first (tests/search_queries.py:
Chinese and English queries) and shows no zero-width space; a reader whose system
is dark gets the dark scheme; clicking through the site under the sub-path uses
Material's instant navigation; the default build (no SITE_URL) also works under a
sub-path; a missing URL shows the site's 404 page; and the site's SVG (compacted)
draws in Chromium what Matplotlib's own SVG draws. (The checks of the built files
that need no browser -- links and anchors, glyphs -- are in tests/test_site.py; two
clean builds are compared byte for byte in CI, by ``tools.crosscheck --builds``.)

All browser work happens once per test run, in one Chromium (Debian's headless shell
``/usr/bin/chromium-headless-shell``, else ``/usr/bin/chromium``, or
``NNDL_CHROMIUM``) driven by Playwright, on one
pytest-xdist worker (``--dist loadfile`` keeps this file's tests together), while
the other worker goes on with the rest of the suite. Browser tests carry
``@pytest.mark.browser``. Without Chromium they are skipped with a notice, unless
``NNDL_REQUIRE_BROWSER=1`` (set by CI): then it is an error.
"""

import json
import os
import re
import traceback
import urllib.parse

import pytest

import browser_support as bs
from run_once import locked, shared_dir
from search_queries import EN_QUERIES, QUERIES
from tools import pagerun

PAGES = bs.expected_pages()
EXERCISES = bs.exercise_pages()
# Queries a student would type -> the page that must be the first result
# (tests/search_queries.py). A pair is checked once its page is on the site.
SEARCHES = QUERIES + EN_QUERIES
browser = pytest.mark.browser


def _id(page):
    return page.rstrip("/") or "index"


def _lines(items):
    return "\n  " + "\n  ".join(str(i) for i in items)


# ------------------------------------------------------------------ fixtures ----

class _SkipNotice:
    """Says, at the end of the run, that the browser tests did not run."""

    def __init__(self, reason):
        self.reason = reason

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("!", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{self.reason}. Install Chromium (Debian: apt-get install chromium-headless-shell) or set "
            "NNDL_CHROMIUM to a Chromium binary; with NNDL_REQUIRE_BROWSER=1 (as in CI) a "
            "missing browser is an error.")


@pytest.fixture(scope="session")
def chromium(request):
    path, wanted = bs.chromium_path()
    problem = None if path else f"Chromium not found at {wanted}: browser tests skipped"
    if problem is None:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright.async_api  # noqa: F401
        except ImportError as err:
            problem = f"Playwright or axe-playwright-python missing ({err}): browser tests skipped"
    if problem:
        if os.environ.get("NNDL_REQUIRE_BROWSER") == "1":
            pytest.fail(problem.replace("browser tests skipped", "NNDL_REQUIRE_BROWSER=1 "
                                        "makes a missing browser an error"), pytrace=False)
        if not request.config.pluginmanager.has_plugin("nndl-browser-notice"):
            request.config.pluginmanager.register(_SkipNotice(problem), "nndl-browser-notice")
        pytest.skip(problem)
    return path


@pytest.fixture(scope="session")
def results(tmp_path_factory, worker_id, chromium, served_site, site):
    """Everything the browser saw, collected once per test run (see bs.collect)."""
    shared = shared_dir(tmp_path_factory, worker_id)
    path = shared / "browser-results.json"
    with locked(shared / "browser-results.lock"):
        if not path.exists():
            out, base = served_site
            try:
                port = urllib.parse.urlsplit(base).port
                served = bs.SiteServer(out, prefix=bs.SUBPATH, port=port)
            except OSError as err:
                data = {"error": f"port of {base} taken since the build ({err}): run again"}
            else:
                default = bs.SiteServer(site, prefix=bs.SUBPATH)
                try:
                    data = bs.collect(chromium, served, default, SEARCHES, EXERCISES,
                                      bs.svg_specimens())
                except Exception:  # noqa: BLE001 - every browser test reports it
                    data = {"error": traceback.format_exc()}
                finally:
                    served.close()
                    default.close()
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    if "error" in data:
        pytest.fail(f"the browser session failed:\n{data['error']}", pytrace=False)
    return data


def visited(results, page):
    if page not in results["pages"]:
        pytest.fail(f"{page!r} is not a page of the built site", pytrace=False)
    report = results["pages"][page]
    if report["error"]:
        pytest.fail(f"visiting {report['url']} failed:\n{report['error']}", pytrace=False)
    return report


def part(results, name):
    data = results.get(name)
    if data is None:
        pytest.skip(f"{name}: nothing to check yet (no exercise pages)")
    if isinstance(data, dict) and "error" in data:
        pytest.fail(f"{name} failed:\n{data['error']}", pytrace=False)
    return data


# ------------------------------------------------------------- every page ----

def test_every_built_page_is_checked(served_site):
    built = bs.built_pages(served_site[0])
    assert set(built) == set(PAGES), (
        f"built but not parametrized: {sorted(set(built) - set(PAGES))}; "
        f"parametrized but not built: {sorted(set(PAGES) - set(built))}")


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_page_loads_without_console_errors(results, page):
    r = visited(results, page)
    assert r["status"] == 200, f"{r['url']}: HTTP {r['status']}"
    assert not r["console_errors"], "console errors:" + _lines(r["console_errors"])


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_no_failed_requests(results, page):
    r = visited(results, page)
    assert not r["failed_requests"], "failed requests:" + _lines(r["failed_requests"])


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_no_request_leaves_the_local_server(results, page):
    r = visited(results, page)
    assert not r["external_requests"], "requests to other hosts:" + _lines(r["external_requests"])


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_page_has_a_meta_description(results, page):
    r = visited(results, page)
    assert (r["description"] or "").strip(), "no <meta name=description> content"


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_maths_is_typeset(results, page):
    r = visited(results, page)
    maths = r["maths"]
    assert r["maths_ready"], "MathJax did not start (window.MathJax.startup.promise)"
    assert not maths["errors"], "MathJax errors:" + _lines(maths["errors"])
    assert not maths["untypeset"], "maths left untypeset:" + _lines(maths["untypeset"])
    assert not maths["raw"], "raw TeX visible outside code:" + _lines(maths["raw"])


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_images_and_figures_load_with_size_and_alt_text(results, page):
    r = visited(results, page)
    bad = [i for i in r["images"] if not (i["natural"] > 0 and i["width"] > 0 and i["height"] > 0
                                          and (i["alt"] or "").strip())]
    assert not bad, "images not loaded, of no size, or without alt text:" + _lines(bad)
    assert all(f["images"] for f in r["figures"]), "a <figure> without an image"


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_accessibility(results, page):
    r = visited(results, page)
    assert r["axe_light"] is not None, "axe did not run in the light scheme"
    assert not r["axe_light"], "axe (light scheme, WCAG 2.2 AA):" + _lines(r["axe_light"])


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_dark_mode_toggles_and_stays_readable(results, page):
    r = visited(results, page)
    assert sorted(r["schemes"]) == ["default", "slate"], \
        f"palette toggle: colour schemes seen {r['schemes']} (as opened, after the click)"
    if page not in results["dark_pages"]:
        return  # its kinds of element are checked in the dark on the sample's pages
    assert r["axe_dark"] is not None, "axe did not run in the dark scheme"
    assert not r["axe_dark"], "axe colour contrast in the dark scheme:" + _lines(r["axe_dark"])


@browser
def test_the_dark_contrast_sample_has_every_kind_of_element(results, served_site):
    """Colour contrast in the dark scheme runs on a sample of pages (see
    bs.contrast_sample): together they must have every kind of element of the site,
    and an exercise page and a notebook page must be among them."""
    site = served_site[0]
    sample = results["dark_pages"]
    every = set().union(*(bs.element_kinds(site, p) for p in bs.built_pages(site)))
    covered = set().union(*(bs.element_kinds(site, p) for p in sample))
    assert covered == every, f"kinds of element not in the sample: {sorted(every - covered)[:20]}"
    assert any(p in EXERCISES for p in sample) and any("notebooks/" in p for p in sample)
    assert len(sample) < len(PAGES)


@browser
@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_copy_buttons_copy_only_the_code(results, page):
    r = visited(results, page)
    if page in EXERCISES or page.startswith("notebooks/"):
        assert r["copies"], "no copy buttons on a page of code"
    bad_outputs = [o["text"][:60] for o in r["outputs"] if o["buttons"] or not o["noCopy"]]
    assert not bad_outputs, \
        "output blocks with a copy button or without no-copy:" + _lines(bad_outputs)
    assert not r["notebook_output_buttons"], "notebook outputs with a copy button"
    assert not r["uncopyable"], "code blocks without a copy button:" + _lines(r["uncopyable"])
    outputs = {line.strip() for o in r["outputs"] for line in o["text"].splitlines()
               if re.search(r"\w", line)}
    for i, c in enumerate(r["copies"], 1):
        where = f"copy button {i} ({c['kind']}, {c['language']})"
        assert not c["output"], f"{where} is on an output block"
        assert c["clipboard"], f"{where} put nothing on the clipboard"
        assert c["clipboard"].rstrip("\n") == (c["shown"] or "").rstrip("\n"), \
            f"{where} copied something else than its block shows:\n{c['clipboard'][:300]!r}"
        prompts = [ln for ln in c["clipboard"].splitlines()
                   if re.match(r"\s*(>>>|In \[\d*\]:)", ln)]
        assert not prompts, f"{where} copied prompts:" + _lines(prompts)
        leaked = [ln for ln in c["clipboard"].splitlines() if ln.strip() in outputs]
        assert not leaked, f"{where} copied output lines:" + _lines(leaked)


@browser
@pytest.mark.parametrize("page", EXERCISES, ids=_id)
def test_copied_code_is_the_script_that_runs_standalone(results, page):
    """What the page's copy buttons put on the clipboard, pasted in order, is exactly
    the page's script, block by block: the code cells that tests/test_notebooks.py
    runs in a fresh kernel of a bare Python (only NumPy and Matplotlib), and the
    page's output blocks are exactly what that script prints."""
    r = visited(results, page)
    blocks = [c["clipboard"] for c in r["copies"]
              if c["kind"] == "material" and c["language"] == "python"]
    assert blocks, "no Python code was copied from the page"
    lang, pid = bs.page_edition(page)
    run = pagerun.run_page("ex" + pid.replace("-", "_")).edition(lang)
    script = [run.helpers] + [c.code for c in run.cells[1:]]   # the blocks of run.script()
    assert [b.rstrip("\n") for b in blocks] == [b.rstrip("\n") for b in script], \
        "the copied code is not the page's script, block by block"
    shown = "".join(o["text"].rstrip("\n") + "\n" for o in r["outputs"])
    assert shown == "".join(c.stdout for c in run.cells), \
        "the page's output blocks are not what its script prints"


# ------------------------------------------------------------ the whole site ----

@browser
@pytest.mark.parametrize("query, page", SEARCHES, ids=[f"{q}->{_id(p)}" for q, p in SEARCHES])
def test_search_finds_the_right_page(results, served_site, query, page):
    if page not in bs.built_pages(served_site[0]):
        pytest.skip(f"page {page} is not on the site yet")
    found = part(results, "searches")[f"{query}->{page}"]
    assert found["found"][:1] == [page], \
        f"searching {query!r}: {found['meta']}; results link to {found['found']}, not {page} first"
    # each edition searches its own pages only
    english = page.startswith("en/")
    other = [p for p in found["found"] if p.startswith("en/") != english]
    assert not other, f"searching {query!r} in one edition found pages of the other: {other}"


@browser
def test_search_results_show_no_zero_width_spaces(results):
    """Material shows the index's titles and text as they are: the zero-width spaces
    jieba's words were joined with must not reach the result list (tools/search.py
    puts an empty <wbr/> there instead, which must not show as text either)."""
    searches = part(results, "searches")
    shown = [(key, text) for key, r in searches.items() for text in r["texts"]]
    assert len(shown) >= len(searches), "the searches showed fewer results than queries"
    bad = [(key, text[:80]) for key, text in shown if "\u200b" in text or "<wbr" in text]
    assert not bad, "results showing U+200B or a <wbr> tag as text:" + _lines(bad)


@browser
def test_a_dark_system_gets_the_dark_scheme(results):
    assert part(results, "dark_system") == "slate"


def _check_walk(walked, instant):
    for step in walked["steps"]:
        assert step["h1"], f"{step['url']}: no heading"
        maths = step["maths"]
        assert step["maths_ready"] and not maths["raw"] and not maths["untypeset"], \
            f"{step['url']}: maths not typeset after navigating: {maths}"
        if instant:
            assert step["instant"], f"{step['url']}: instant navigation fell back to a full load"
        bad = [i for i in step.get("images", []) if not i["natural"] > 0]
        assert not bad, f"{step['url']}: images not loaded:" + _lines(bad)
    assert not walked["console_errors"], "console errors:" + _lines(walked["console_errors"])
    assert not walked["failed_requests"], "failed requests:" + _lines(walked["failed_requests"])
    assert not walked["external_requests"], \
        "requests to other hosts:" + _lines(walked["external_requests"])


@browser
def test_instant_navigation_works_under_the_subpath(results):
    """The Pages workflow's build (SITE_URL set) under /nndl/: from the home page, the
    sidebar link to the first exercise, then the footer's "next" link, both through
    Material's instant navigation (no full reload), with the maths typeset after each."""
    _check_walk(part(results, "instant_walk"), instant=True)


@browser
def test_default_build_works_under_a_subpath(results):
    """The README's plain build (site_url left at its default) served from /nndl/
    instead of /: the home page, an exercise (sidebar link) and its notebook (link in
    the page) -- one page at each depth -- load with every asset, figure and maths.
    Instant navigation falls back to full page loads there (the sitemap's URLs are not
    under /nndl/), which works. Only its 404.html cannot: it links assets from the
    site root ("/assets/..."), so a sub-path needs a build with SITE_URL set, as the
    Pages workflow does (the served build, tested by everything else here)."""
    _check_walk(part(results, "default_walk"), instant=False)


@browser
def test_a_missing_url_shows_the_404_page_with_its_assets(results):
    missing = part(results, "missing")
    assert missing["status"] == 404
    assert missing["header_position"] == "sticky", "the 404 page is unstyled: no stylesheet"
    assert not missing["failed_requests"], _lines(missing["failed_requests"])
    assert not missing["external_requests"], _lines(missing["external_requests"])


@browser
@pytest.mark.parametrize("specimen", ["plots", "network"])
def test_served_figures_draw_what_matplotlib_drew(results, specimen):
    """The site's SVG (figure_to_svg) against Matplotlib's own, both drawn by Chromium
    at twice their size: the markup rewrite (minify_svg) changes no pixel at all, and
    the rounding to 0.1 pt moves anti-aliased edges only."""
    r = part(results, "svg_renderings")[specimen]
    rewrite, rounding = r["rewrite"], r["rounding"]
    assert rewrite["sizes"][0] == rewrite["sizes"][1] == rounding["sizes"][0]
    assert rewrite["ink"] > 0.02 * rewrite["pixels"], f"hardly anything drawn: {rewrite}"
    assert rewrite["differing"] == 0, f"minify_svg changed the drawing: {rewrite}"
    assert rounding["visibly"] <= 0.005 * rounding["pixels"], f"rounding shows: {rounding}"
    assert abs(rounding["ink"] - rewrite["ink"]) <= 0.01 * rewrite["ink"], rounding
    assert r["bytes"]["served"] < 0.7 * r["bytes"]["raw"], r["bytes"]
