"""Site search: the chapter's words for jieba, each page's extra search terms, and
the search index as the reader's browser gets it.

Material's search plugin (``lang: zh``) cuts every run of Chinese characters into
words with jieba at build time and joins the words with zero-width spaces (U+200B);
the browser splits the text at the ``separator`` of ``mkdocs.yml`` and lunr.js
ranks the sections. This module, called from ``tools/mkdocs_hooks.py``, adds three
things:

* **A user dictionary** (``tools/search_terms.txt``): the chapter's terms that
  jieba's general dictionary cuts apart or joins with a neighbour (参数量, 学习率,
  所有权重). ``load_user_dict`` adds them to jieba before it cuts anything; the
  hooks keep their cache of jieba's cuts per dictionary (``dictionary_key``).
* **Search terms per page**: the ``keywords:`` list in a page's front matter (the
  field's usual synonyms, English names, the words of the exercise: 万能近似定理,
  dying ReLU, zero initialisation). They go into a field of their own,
  ``keywords``, of the page's first entry in the index (the page title), weighted
  like a title (``KEYWORD_BOOST``), and are not shown on the page.
* **No zero-width spaces on screen**: Material shows the index's titles and text
  as they are, so every U+200B reached the result list (and a reader's clipboard).
  ``rewrite_index`` puts an empty ``<wbr/>`` element between the words instead:
  the browser's tokenizer splits text at tags just as at the separator, and the
  result list renders the element as nothing.

``rewrite_index`` also writes the index as UTF-8 rather than with ``\\uXXXX``
escapes (a fifth fewer bytes; a few per cent fewer after gzip).

Last, ``patch_worker`` replaces the query segmenter of Material's search worker
(see ``SEGMENTER`` below for why).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TERMS_FILE = ROOT / "tools" / "search_terms.txt"
DEFAULT_FREQ = 100_000      # a frequency at which a listed word wins inside a sentence
FIELD = "keywords"          # the index field that holds a page's front-matter terms
KEYWORD_BOOST = 1000.0      # as Material weights titles
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ZWSP = "\u200b"
WBR = "<wbr/>"

def read_terms(path: Path = TERMS_FILE) -> list[tuple[str, int]]:
    """The user dictionary: ``[(word, frequency), ...]``.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = p.write_text("# comment\\n异或\\n学习率 5000  # rate\\n", encoding="utf-8")
    >>> read_terms(p)
    [('异或', 100000), ('学习率', 5000)]
    >>> _ = p.write_text("dying ReLU\\n", encoding="utf-8")
    >>> read_terms(p)
    Traceback (most recent call last):
    ...
    ValueError: t.txt:1: 'dying ReLU': only Chinese characters (jieba sees nothing else); put English terms in a page's keywords:
    """
    terms, seen = [], set()
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(\S+)(?:\s+(\d+))?", line)
        where = f"{path.name}:{n}"
        if not m or not HAN.fullmatch(m.group(1)):
            raise ValueError(f"{where}: {line!r}: only Chinese characters (jieba sees "
                             f"nothing else); put English terms in a page's keywords:")
        word = m.group(1)
        if word in seen:
            raise ValueError(f"{where}: {word} is listed twice")
        seen.add(word)
        terms.append((word, int(m.group(2)) if m.group(2) else DEFAULT_FREQ))
    return terms


def dictionary_key(path: Path = TERMS_FILE) -> str:
    """A short hash of the user dictionary (cuts cached under one never serve another)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def load_user_dict(jieba, path: Path = TERMS_FILE) -> None:
    """Add the user dictionary's words to ``jieba`` (the module, or a
    ``jieba.Tokenizer``), once per file content."""
    key = dictionary_key(path)
    if getattr(jieba, "nndl_user_dict", None) == key:
        return
    for word, freq in read_terms(path):
        jieba.add_word(word, freq)
    jieba.nndl_user_dict = key


def page_keywords(meta: dict, where: str) -> list[str]:
    """The ``keywords:`` of a page's front matter, checked.

    >>> page_keywords({"keywords": ["万能近似定理", "universal approximation"]}, "x.md")
    ['万能近似定理', 'universal approximation']
    >>> page_keywords({}, "x.md")
    []
    >>> page_keywords({"keywords": "XOR, 异或"}, "x.md")
    Traceback (most recent call last):
    ...
    ValueError: x.md: keywords: must be a list of words or phrases, e.g. [异或, XOR]
    """
    terms = meta.get(FIELD, [])
    if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip()
                                              for t in terms):
        raise ValueError(f"{where}: {FIELD}: must be a list of words or phrases, "
                         f"e.g. [异或, XOR]")
    return [t.strip() for t in terms]


def keyword_text(terms: list[str], cut) -> str:
    """The index text of a page's terms: each term as written, and each run of Chinese
    characters in it also whole and as jieba cuts it (words of two or more
    characters), so that a query finds the term by any of its words.

    >>> cut = lambda s: iter({"全零初始化": ["全零", "初始化"]}.get(s, [s]))
    >>> keyword_text(["全零初始化", "zero initialisation"], cut)
    '全零初始化 全零 初始化 zero initialisation'
    """
    words: list[str] = []
    for term in terms:
        for part in map(str.strip, re.split(f"({HAN.pattern})", term)):
            if not part:
                continue
            pieces = [part]
            if HAN.fullmatch(part):
                pieces += [w for w in cut(part) if len(w) > 1 and w != part]
            words += [w for w in pieces if w not in words]
    return " ".join(words)


def rewrite_index(text: str, keywords: dict[str, list[str]], cut) -> str:
    """The search index (``search/search_index.json``) as the site ships it: each
    page's terms in the ``keywords`` field of its first entry (``keywords`` maps a
    page's URL to its terms), ``<wbr/>`` where Material put zero-width spaces, and
    UTF-8 text.

    >>> index = json.dumps({"config": {"fields": {"title": {"boost": 1000.0}}},
    ...                     "docs": [{"location": "4-6/", "title": "通用\\u200b近似", "text": ""},
    ...                              {"location": "4-6/#a", "title": "a", "text": "b"}]})
    >>> out = json.loads(rewrite_index(index, {"4-6/": ["万能近似定理"]}, lambda s: iter([s])))
    >>> out["config"]["fields"]["keywords"], out["docs"][0]
    ({'boost': 1000.0}, {'location': '4-6/', 'title': '通用<wbr/>近似', 'text': '', 'keywords': '万能近似定理'})
    >>> "keywords" in out["docs"][1]
    False
    """
    data = json.loads(text)
    data["config"]["fields"][FIELD] = {"boost": KEYWORD_BOOST}
    unused = set(keywords)
    for doc in data["docs"]:
        for name in ("title", "text"):
            if isinstance(doc.get(name), str):
                doc[name] = doc[name].replace(ZWSP, WBR)
        doc.pop(FIELD, None)
        terms = keywords.get(doc["location"])
        if terms:
            doc[FIELD] = keyword_text(terms, cut)
            unused.discard(doc["location"])
    missing = sorted(u for u in unused if keywords[u])
    if missing:
        raise ValueError(f"pages with keywords: but no entry in the search index: {missing}")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# Material's query segmenter (``segment`` in its search worker, 9.8.2) cuts a run of
# Chinese characters in the query by the words of the index, but never lets a word
# end at the last character (its loop stops at ``query.length - 1``), and it drops
# everything after the first character that starts no word. So 偏置 was searched as
# 偏*, 梯度消失 as 梯度*, and 学习率过大导致神经元死亡 as 学习率过大* 导*. This one
# takes, from left to right, the longest word of the index that starts there (up to
# the end of the query), and keeps characters that start no word together as one
# term. Material still appends the trailing wildcard to every term.
PATCHED = "/*nndl: query segmenter, tools/search.py*/"
SEGMENTER = (
    PATCHED + "function {name}(t,e){{let r=new Set,g=-1,i=0;"
    "for(;i<t.length;){{let k=0;"
    "for(let j=t.length;j>i;j--)if(t.slice(i,j)in e){{k=j-i;break}}"
    "if(k){{g>=0&&(r.add(t.slice(g,i)),g=-1);r.add(t.slice(i,i+k));i+=k}}"
    "else{{g<0&&(g=i);i++}}}}"
    "g>=0&&r.add(t.slice(g));return r}}"
)
MATERIAL_SEGMENTER = re.compile(
    r'function (\w+)\((\w+),(\w+)\)\{let \w+=new Set,\w+=new Uint16Array\(\2\.length\);'
    r'.*?return \w+\.has\(""\)\?new Set\(\[\2\]\):\w+\}', re.S)


def patch_worker(source: str) -> str:
    """Material's search worker with ``SEGMENTER`` in place of its query segmenter.

    A worker already patched is returned as it is (``mkdocs serve --dirty`` does not
    copy the theme's files again). A worker in which the segmenter is not found
    exactly once (another Material version) is an error: compare its ``segment``
    with the one described above, then update ``MATERIAL_SEGMENTER``.

    >>> old = ('x;function fe(t,e){let r=new Set,n=new Uint16Array(t.length);'
    ...        'return r.has("")?new Set([t]):r}y')
    >>> new = patch_worker(old)
    >>> new.startswith('x;' + PATCHED + 'function fe(t,e){let r=new Set,g=-1')
    True
    >>> patch_worker(new) == new
    True
    >>> patch_worker("x")
    Traceback (most recent call last):
    ...
    ValueError: Material's search worker: its query segmenter was found 0 times, not once (see tools/search.py)
    """
    if PATCHED in source:
        return source
    found = MATERIAL_SEGMENTER.findall(source)
    if len(found) != 1:
        raise ValueError(f"Material's search worker: its query segmenter was found "
                         f"{len(found)} times, not once (see tools/search.py)")
    return MATERIAL_SEGMENTER.sub(lambda m: SEGMENTER.format(name=m.group(1)), source)
