"""The site's two editions: Chinese at the root (``docs/``), English under ``/en/`` (``docs/en/``).

Both editions show the same run of each page (``tools.pagerun``): the same cells,
the same printed output, and each figure drawn once per language by its cell's
last expression (``LANG = "zh"`` / ``"en"``). Only text differs: the prose, the
figures' text (one table per figure function in ``snippets/``) and the text the
build adds around the code (``STRINGS`` below: the exercise table's header, the
notebook note, the helper block's title, ...), which every page, notebook and
template takes from here.

``check_counterparts`` is the rule that no page exists in one language only: every
Markdown page of one edition has its counterpart at the same path in the other,
and the two place the same directives (``[[helpers]]`` and every ``[[run NAME]]``)
in the same order, with alt text for the same figures.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.pagerun import DIRECTIVE, EDITIONS, ROOT

DOCS = {"zh": ROOT / "docs", "en": ROOT / "docs" / "en"}
PREFIX = {"zh": "", "en": "en/"}          # where each edition lives below the site root
NAMES = {"zh": "中文", "en": "English"}   # as the language switch shows them

# Every piece of text the build itself puts on a page, in each edition.
STRINGS = {
    "zh": {
        "code_section": "## 代码与实验",
        "table_header": "| 习题 | 内容 | 笔记本 |",
        "table_row": "| [{pid}]({pid}.md) | **{name}**：{description} | [{pid}.ipynb](notebooks/{pid}.ipynb) |",
        "title_sep": "：",
        "exercise": "习题 {pid}",
        "notebook_note": (
            '!!! tip "可运行的笔记本"\n    本节的代码也整理成了 Jupyter 笔记本：'
            "[在线查看（含输出）](notebooks/{pid}.ipynb) · "
            '<a href="../notebooks/{pid}/{pid}.ipynb" download>下载 {pid}.ipynb</a>。'
            "只需 NumPy 与 Matplotlib 即可从头运行。\n"),
        "helpers_title": "本页用到的函数（{n} 行，取自 snippets/，复制后可单独运行）",
        "output": "输出",
        "notebooks_section": "可运行笔记本",
        "notebook_title": "{title}（可运行笔记本）",
        "notebook_intro": (
            "本笔记本由网站构建时从仓库的 `snippets/pages/{page}.py` 生成，"
            "与网页 [{title}](../../{pid}/) 中的代码逐块相同，输出也是构建时运行这些代码得到的。"
            "只需要 NumPy 和 Matplotlib：从上到下运行即可复现网页上的全部数字。"
            "图中有中文标签；如果它们显示为方框，请安装一种中文字体（例如 Noto Sans CJK SC），"
            "`apply_style()` 会自动选用。"),
        "download_notebook": "下载本笔记本（.ipynb）",
        "progress": "页面加载进度",
    },
    "en": {
        "code_section": "## Code and experiments",
        "table_header": "| Exercise | Contents | Notebook |",
        "table_row": "| [{pid}]({pid}.md) | **{name}**: {description} | [{pid}.ipynb](notebooks/{pid}.ipynb) |",
        "title_sep": ": ",
        "exercise": "Exercise {pid}",
        "notebook_note": (
            '!!! tip "Runnable notebook"\n    The code of this section is also a Jupyter '
            "notebook: [view it online, with outputs](notebooks/{pid}.ipynb) · "
            '<a href="../notebooks/{pid}/{pid}.ipynb" download>download {pid}.ipynb</a>. '
            "It runs from top to bottom with nothing but NumPy and Matplotlib.\n"),
        "helpers_title": "The functions this page uses ({n} lines, from snippets/, "
                         "self-contained once copied)",
        "output": "Output",
        "notebooks_section": "Runnable notebooks",
        "notebook_title": "{title} (runnable notebook)",
        "notebook_intro": (
            "This notebook is generated when the site is built, from the repository's "
            "`snippets/pages/{page}.py`. Its code is the code of the page "
            "[{title}](../../{pid}/), block for block, and its outputs are the ones the "
            "build obtained by running it. It needs only NumPy and Matplotlib: run it from "
            "top to bottom to reproduce every number on the page."),
        "download_notebook": "Download this notebook (.ipynb)",
        "progress": "Page loading progress",
    },
}


def edition(config) -> str:
    """The edition a MkDocs configuration builds: its theme language (``zh`` or ``en``)."""
    lang = config["theme"]["language"]
    if lang not in EDITIONS:
        raise ValueError(f"theme.language must be one of {EDITIONS}, not {lang!r}")
    return lang


def text(lang: str, key: str, **fields) -> str:
    """``STRINGS[lang][key]`` with ``fields`` filled in."""
    return STRINGS[lang][key].format(**fields)


def page_file(lang: str, pid: str) -> Path:
    """The Markdown source of page ``pid`` (``4-3``, ``index``) in edition ``lang``."""
    return DOCS[lang] / f"{pid}.md"


def markdown_pages(lang: str) -> list[str]:
    """The page ids of one edition's Markdown pages (``index``, ``4-1``, ...)."""
    root = DOCS[lang]
    found = sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.md"))
    # the Chinese docs_dir holds the English one: those are not Chinese pages
    return [p for p in found if not (lang == "zh" and p.startswith("en/"))]


def directives(markdown: str) -> list[tuple[str, str | None, bool]]:
    """What a page places, in order: ``(kind, cell name, has alt text)`` per directive."""
    out = []
    for line in markdown.splitlines():
        m = DIRECTIVE.match(line)
        if m:
            out.append((m.group(1), m.group(2), bool(m.group(3))))
    return out


def check_counterparts() -> None:
    """Every page in both editions, placing the same cells: else ``ValueError``."""
    pages = {lang: set(markdown_pages(lang)) for lang in EDITIONS}
    for lang, other in (("zh", "en"), ("en", "zh")):
        missing = sorted(pages[lang] - pages[other])
        if missing:
            where = ["docs/" + page_file(other, p).relative_to(DOCS["zh"]).as_posix()
                     for p in missing]
            raise ValueError(f"pages without their {NAMES[other]} counterpart: "
                             f"{', '.join(where)} missing (a page exists in both editions "
                             f"or in neither)")
    for pid in sorted(pages["zh"]):
        placed = {lang: directives(page_file(lang, pid).read_text(encoding="utf-8"))
                  for lang in EDITIONS}
        if placed["zh"] != placed["en"]:
            raise ValueError(
                f"docs/{pid}.md and docs/en/{pid}.md place different cells: "
                f"{_describe(placed['zh'])} against {_describe(placed['en'])}; both "
                f"editions place [[helpers]] and every cell in the same order, with alt "
                f"text for the same figures")


def _describe(placed) -> str:
    return "[" + ", ".join(f"{k}{' ' + n if n else ''}{' | alt' if alt else ''}"
                           for k, n, alt in placed) + "]"


def alternates(lang: str) -> list[dict]:
    """Material's ``extra.alternate`` for edition ``lang``: every edition's name, its
    language and where it lives seen from this edition's root.

    >>> [a["link"] for a in alternates("zh")], [a["link"] for a in alternates("en")]
    (['', 'en/'], ['../', ''])
    """
    up = "../" * PREFIX[lang].count("/")
    return [{"name": NAMES[e], "link": "" if e == lang else up + PREFIX[e], "lang": e}
            for e in EDITIONS]


# Material's main script fetches ``sitemap.xml`` next to every <link rel="alternate"> of
# a page, taking the link for the root of another language's site, so as to send a
# click on the language switch to the same page there. Our links are the pages
# themselves (each edition has the same paths, and the switch already links to the
# same page), so that fetch could only fail (``4-3/sitemap.xml``): the script is made
# to skip the links that carry an hreflang.
ALTERNATE_SCAN = 'M("link[rel=alternate]")'
ALTERNATE_SCAN_PATCHED = 'M("link[rel=alternate]:not([hreflang])")'


def patch_bundle(script: str) -> str:
    """Material's main script without its per-language sitemap fetch (see above).

    >>> patch_bundle('e.pipe(b(()=>M("link[rel=alternate]")),m(r=>r))')
    'e.pipe(b(()=>M("link[rel=alternate]:not([hreflang])")),m(r=>r))'
    >>> patch_bundle("x")
    Traceback (most recent call last):
    ...
    ValueError: Material's main script has 0 scans of its alternate links, not 1: the patch of tools/editions.py needs a look after the Material upgrade
    """
    count = script.count(ALTERNATE_SCAN)
    if count != 1:
        raise ValueError(f"Material's main script has {count} scans of its alternate links, "
                         f"not 1: the patch of tools/editions.py needs a look after the "
                         f"Material upgrade")
    return script.replace(ALTERNATE_SCAN, ALTERNATE_SCAN_PATCHED)


def front_matter(markdown: str) -> dict:
    """A page's YAML front matter (``{}`` without one); ``ValueError`` if it is not a
    YAML mapping (MkDocs would silently drop it: a title with ": " must be quoted)."""
    import yaml

    m = re.match(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", markdown, flags=re.S)
    if not m:
        return {}
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as err:
        raise ValueError(f"front matter is not valid YAML (quote a value that "
                         f"contains ': '): {err}") from err
    if not isinstance(data, dict):
        raise ValueError("front matter is not a YAML mapping")
    return data
