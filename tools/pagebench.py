"""Page benchmark: what a reader's browser waits for and downloads, page by page.

Run from the repository root with the project's environment:

    .venv/bin/python -m tools.pagebench --baseline 296494f          # 3 runs
    .venv/bin/python -m tools.pagebench --baseline 296494f --runs 5 --lighthouse /tmp/lh

The working tree's site and commit REF's site (a clone, built with its own
requirements in a venv cached under ``.cache/pagebench/``) are each served on
127.0.0.1 with gzip, as GitHub Pages serves them, and every page is opened in
headless Chromium (``/usr/bin/chromium`` or ``NNDL_CHROMIUM``), in a fresh
browser context each time (a first visit), alternating baseline and current
within each run. Per page it prints, before / after (min / median / max over
the runs) and their ratio:

* **maths ms**: from navigation start until every formula is rendered; a
  formula that arrives as MathML in the HTML counts as rendered at first
  contentful paint (FCP), a MathJax one when MathJax has typeset it;
* **font ms**: until the last font file the page uses has arrived (MathJax's fonts
  before, the site's maths font after);
* **FCP ms**;
* **transfer**: the gzip bytes of the page and of everything it loads on a first
  visit, until the network is quiet (KiB).

With ``--lighthouse DIR`` (a directory where ``npm install lighthouse@12.2.3`` was
run; outside the repository), Lighthouse's mobile preset also scores every page,
before and after: performance, accessibility, best practices, SEO. Without it, or
when ``npx lighthouse`` is not found there, Lighthouse is skipped with a message.
Lighthouse is a development tool: nothing in the build or the tests needs Node.

Timings on a shared 2-core machine are noisy: compare the ratios of the same run,
not seconds across runs. The transfer sizes do not depend on the load.
It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.server
import json
import os
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
       "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
CHROMIUM = os.environ.get("NNDL_CHROMIUM", "/usr/bin/chromium")
# What GitHub Pages sends gzip-compressed (text formats; fonts and images as they are).
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "application/x-ipynb+json")

# Recorded from the first frame on: the first frame at which every formula is
# rendered (a <math> element, or MathJax's output once its typesetting is done).
PROBE = """(() => {
  const done = () => {
    const spans = [...document.querySelectorAll('.arithmatex')];
    if (window.MathJax && !window.__nndlMathJaxDone) {
      if (MathJax.startup && MathJax.startup.promise && !window.__nndlWaiting) {
        window.__nndlWaiting = true;
        const wait = () => { const p = MathJax.startup.promise;
          p.then(() => p === MathJax.startup.promise ? (window.__nndlMathJaxDone = true) : wait()); };
        wait();
      }
      return false;
    }
    return document.readyState !== 'loading' &&
      spans.every(e => e.querySelector(':scope > math, mjx-container'));
  };
  const tick = () => {
    if (done()) { window.__nndlMaths = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""

# After the maths is rendered and the fonts have loaded: the times, and when the last
# font file (MathJax's or the site's maths font) finished downloading.
RESULT = """async () => {
  for (let i = 0; i < 400 && window.__nndlMaths === undefined; i++)
    await new Promise(r => setTimeout(r, 25));
  await document.fonts.ready;
  const fcp = (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime;
  const fonts = performance.getEntriesByType('resource')
    .filter(e => /\.(woff2?|ttf|otf)(\?|$)/.test(e.name)).map(e => e.responseEnd);
  const spans = [...document.querySelectorAll('.arithmatex')];
  return {maths: window.__nndlMaths, fonts: fonts.length ? Math.max(...fonts) : null, fcp,
          formulas: spans.length,
          inHtml: !window.MathJax && spans.every(e => e.querySelector(':scope > math'))};
}"""


# ------------------------------------------------------------------ sites ----

def sh(cmd, cwd, env=None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env or ENV)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}\n"
                         f"{proc.stderr[-3000:]}")
    return proc.stdout


def python_for(repo: Path) -> str:
    """This interpreter if ``repo`` pins what this one has, else a venv with the
    repo's requirements.txt, made once and cached by its contents."""
    reqs = (repo / "requirements.txt").read_text(encoding="utf-8")
    if reqs == (ROOT / "requirements.txt").read_text(encoding="utf-8"):
        return sys.executable
    venv = ROOT / ".cache" / "pagebench" / f"venv-{hashlib.sha256(reqs.encode()).hexdigest()[:12]}"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.is_file():
        print(f"installing {repo.name}'s requirements into {venv} (once)...", file=sys.stderr)
        sh([sys.executable, "-m", "venv", str(venv)], ROOT)
        sh([str(python), "-m", "pip", "install", "-q", "-r", str(repo / "requirements.txt")], ROOT)
    return str(python)


def build_site(repo: Path, out: Path, python: str) -> Path:
    sh([python, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)], repo)
    return out


def baseline_site(ref: str, tmp: Path) -> Path:
    repo = tmp / "baseline"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", ref], check=True)
    if (ROOT / ".cache" / "pages").is_dir():   # page runs cached by their exact code
        shutil.copytree(ROOT / ".cache" / "pages", repo / ".cache" / "pages")
    return build_site(repo, tmp / "site-baseline", python_for(repo))


def pages_of(site: Path) -> list[str]:
    out = []
    for f in sorted(site.rglob("index.html")):
        rel = f.relative_to(site).parent.as_posix()
        out.append("" if rel == "." else rel + "/")
    return sorted(out, key=lambda p: (p.startswith("notebooks/"), p))


# ----------------------------------------------------------------- server ----

class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the client accepts it."""

    def do_GET(self):  # noqa: N802 - http.server's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        if path.suffix == ".woff":
            ctype = "font/woff"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "max-age=600")
        if ctype.startswith(GZIP_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server:
    def __init__(self, root: Path):
        handler = lambda *a, **k: _Handler(*a, directory=str(root), **k)  # noqa: E731
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------- measure ----

async def visit(browser, url: str) -> dict:
    """One first visit: maths / font / FCP times and the bytes transferred."""
    context = await browser.new_context(viewport={"width": 412, "height": 823})
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    await page.add_init_script(PROBE)
    await page.goto(url, wait_until="load")
    result = await page.evaluate(RESULT)
    await page.wait_for_load_state("networkidle")
    await page.wait_for_timeout(300)
    await context.close()
    maths = result["maths"]
    if not result["formulas"]:
        maths = None
    elif result["inHtml"]:
        maths = result["fcp"]                 # MathML in the HTML: drawn as it is painted
    elif maths is not None and result["fcp"] is not None:
        maths = max(maths, result["fcp"])    # typeset by a script, and painted
    return {"maths": maths, "fonts": result["fonts"], "fcp": result["fcp"],
            "bytes": sum(sizes.values()), "formulas": result["formulas"]}


def measure(sites: dict[str, Server], pages: list[str], runs: int) -> dict:
    import asyncio

    from playwright.async_api import async_playwright

    data = {label: {p: [] for p in pages} for label in sites}

    async def go():
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            for _ in range(runs):
                for page in pages:
                    for label, server in sites.items():   # alternating, page by page
                        data[label][page].append(await visit(browser, server.url + page))
            await browser.close()

    asyncio.run(go())
    return data


def lighthouse(directory: Path, url: str) -> dict | None:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    proc = subprocess.run(
        ["npx", "--no-install", "lighthouse", url, "--quiet", "--output=json",
         f"--output-path={out}", "--only-categories=performance,accessibility,"
         "best-practices,seo", "--chrome-flags=--headless=new --no-sandbox"],
        cwd=directory, capture_output=True, text=True, env=env)
    try:
        if proc.returncode != 0:
            print(f"lighthouse failed on {url}: {proc.stderr[-500:]}", file=sys.stderr)
            return None
        report = json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
    scores = {k: round(100 * (v["score"] or 0)) for k, v in report["categories"].items()}
    audits = report["audits"]
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift"):
        scores[key] = audits[key]["numericValue"]
    return scores


def _median_scores(runs: list[dict]) -> dict | None:
    if not runs:
        return None
    out = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    perf = [r["performance"] for r in runs]
    out["performance"] = (f"{statistics.median(perf):.0f}" if len(perf) == 1 else
                          f"{statistics.median(perf):.0f} ({min(perf)}-{max(perf)})")
    for k in ("accessibility", "best-practices", "seo"):
        out[k] = min(r[k] for r in runs)          # the worst run
    return out


def lighthouse_available(directory: Path | None) -> str | None:
    """None if ``npx lighthouse`` runs in ``directory``, else why not."""
    if directory is None:
        return "no --lighthouse DIR given"
    if shutil.which("npx") is None:
        return "npx not found (Node.js is not installed)"
    proc = subprocess.run(["npx", "--no-install", "lighthouse", "--version"], cwd=directory,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return (f"npx lighthouse not found in {directory} "
                f"(run: mkdir -p {directory} && cd {directory} && npm install lighthouse@12.2.3)")
    return None


# ----------------------------------------------------------------- report ----

def _stats(xs) -> str:
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    return f"{min(xs):.0f} / {statistics.median(xs):.0f} / {max(xs):.0f}"


def _ratio(a, b) -> str:
    pairs = [x / y for x, y in zip(a, b) if x is not None and y]
    if not pairs:
        return "–"
    return f"{min(pairs):.2f} / {statistics.median(pairs):.2f} / {max(pairs):.2f}"


def table(data: dict, pages: list[str]) -> str:
    base, cur = data["baseline"], data["current"]
    lines = ["| page | formulas | maths ms before | maths ms after | ratio | font ms before | "
             "font ms after | FCP ms before | FCP ms after | transfer KiB before | after | ratio |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for page in pages:
        b, c = base.get(page), cur.get(page)
        if not b or not c:
            continue
        col = lambda runs, k: [r[k] for r in runs]  # noqa: E731
        kb_b = statistics.median(col(b, "bytes")) / 1024
        kb_c = statistics.median(col(c, "bytes")) / 1024
        lines.append(
            f"| {page or '(home)'} | {c[0]['formulas']} | {_stats(col(b, 'maths'))} | "
            f"{_stats(col(c, 'maths'))} | {_ratio(col(c, 'maths'), col(b, 'maths'))} | "
            f"{_stats(col(b, 'fonts'))} | {_stats(col(c, 'fonts'))} | {_stats(col(b, 'fcp'))} | {_stats(col(c, 'fcp'))} | "
            f"{kb_b:.1f} | {kb_c:.1f} | {kb_c / kb_b:.2f} |")
    return "\n".join(lines)


def lighthouse_table(scores: dict, pages: list[str]) -> str:
    lines = ["| page | perf before | perf after | a11y | best practices | SEO | "
             "FCP s after | LCP s after | TBT ms before | TBT ms after | CLS after |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for page in pages:
        b, c = scores["baseline"].get(page), scores["current"].get(page)
        if not (b and c):
            continue
        lines.append(
            f"| {page or '(home)'} | {b['performance']} | {c['performance']} | "
            f"{b['accessibility']}→{c['accessibility']} | "
            f"{b['best-practices']}→{c['best-practices']} | {b['seo']}→{c['seo']} | "
            f"{c['first-contentful-paint'] / 1000:.1f} | "
            f"{c['largest-contentful-paint'] / 1000:.1f} | {b['total-blocking-time']:.0f} | "
            f"{c['total-blocking-time']:.0f} | {c['cumulative-layout-shift']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="commit to compare with (e.g. 296494f)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", nargs="*", help="only these pages (e.g. 4-6/)")
    parser.add_argument("--lighthouse", type=Path, metavar="DIR",
                        help="directory holding an npm install of lighthouse (outside the repo)")
    parser.add_argument("--lighthouse-runs", type=int, default=1, metavar="N",
                        help="Lighthouse runs per page and site, alternating (median shown)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pagebench-") as tmp:
        tmp = Path(tmp)
        print(f"building the working tree and {args.baseline}...", file=sys.stderr)
        sites = {"baseline": baseline_site(args.baseline, tmp),
                 "current": build_site(ROOT, tmp / "site-current", sys.executable)}
        pages = [p for p in pages_of(sites["current"]) if not args.pages or p in args.pages]
        servers = {label: Server(site) for label, site in sites.items()}
        try:
            print(f"visiting {len(pages)} pages x 2 sites x {args.runs} runs...", file=sys.stderr)
            data = measure(servers, pages, args.runs)
            print(f"\n## First visit, served with gzip ({args.runs} runs, min / median / max; "
                  f"ratio = after / before in the same run)\n")
            print(table(data, pages))
            scores = None
            why = lighthouse_available(args.lighthouse)
            if why:
                print(f"\nLighthouse skipped: {why}.")
            else:
                print(f"\nrunning Lighthouse (mobile) on {len(pages)} pages x 2...", file=sys.stderr)
                runs = {label: {p: [] for p in pages} for label in servers}
                for _ in range(args.lighthouse_runs):
                    for p in pages:
                        for label in servers:
                            score = lighthouse(args.lighthouse, servers[label].url + p)
                            if score:
                                runs[label][p].append(score)
                scores = {label: {p: _median_scores(r) for p, r in by_page.items()}
                          for label, by_page in runs.items()}
                print(f"\n## Lighthouse, mobile preset (median of {args.lighthouse_runs} "
                      f"run(s) each; performance as min-max when several)\n")
                print(lighthouse_table(scores, pages))
            if args.json:
                args.json.write_text(json.dumps({"visits": data, "lighthouse": scores},
                                                indent=1), encoding="utf-8")
        finally:
            for server in servers.values():
                server.close()


if __name__ == "__main__":
    main()
