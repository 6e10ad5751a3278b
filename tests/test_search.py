"""The search index the build ships (no browser; the queries themselves are run in
Chromium by tests/test_browser.py): the user dictionary's words come out whole, each
page's keywords are in the index and nothing else carries them, no zero-width space
is left, Material's query segmenter is replaced, and broken inputs fail clearly."""

import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from tools import mkdocs_hooks, search

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index(site):
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def front_matter_keywords():
    import yaml

    out = {}
    for md in sorted((ROOT / "docs").glob("*.md")):
        meta = yaml.safe_load(md.read_text(encoding="utf-8").split("---\n")[1])
        url = "" if md.stem == "index" else f"{md.stem}/"
        out[url] = search.page_keywords(meta, md.name)
    return out


def broken_words(segmented: str, words) -> list[tuple[str, str]]:
    """(word, context) wherever a dictionary word's characters stand together in the
    text but a word boundary (``<wbr/>`` or U+200B) falls inside them."""
    plain, cuts = [], set()
    for piece in re.split(r"(<wbr/>|\u200b)", segmented):
        if piece in (search.WBR, search.ZWSP):
            cuts.add(sum(map(len, plain)))
        else:
            plain.append(piece)
    text = "".join(plain)
    bad = []
    for word in words:
        for m in re.finditer(re.escape(word), text):
            if any(m.start() < c < m.end() for c in cuts):
                bad.append((word, text[max(0, m.start() - 6):m.end() + 6]))
    return bad


def test_user_dictionary_words_come_out_whole(index):
    words = [w for w, _ in search.read_terms()]
    for must in ["前馈", "权重", "均值", "异或", "初始化", "学习率", "参数量", "正则化"]:
        assert must in words, f"{must} is not in tools/search_terms.txt"
    bad = [b for doc in index["docs"] for field in ("title", "text")
           for b in broken_words(doc[field], words)]
    assert not bad, "dictionary words cut apart in the index:\n  " + "\n  ".join(map(str, bad))
    seen = {w for doc in index["docs"] for w in words
            if w in re.split(r"<[^>]*>|[\s，。、：；（）]+", doc["title"] + " " + doc["text"])}
    for must in ["前馈", "权重", "均值", "异或", "初始化", "学习率", "参数量", "正则化"]:
        assert must in seen, f"{must} is never a word of its own in the index"


def test_the_whole_word_check_can_fail():
    """Negative control: jieba without the user dictionary cuts 参数量, 学习率 and
    所有权重 apart, and the check above sees it."""
    import jieba

    tokenizer = jieba.Tokenizer()       # jieba's general dictionary only
    tokenizer.initialize()
    sentence, words = "所有权重的参数量随学习率变化", ["权重", "参数量", "学习率"]
    bad = broken_words("\u200b".join(tokenizer.cut(sentence)), words)
    assert {w for w, _ in bad} == set(words), bad
    search.load_user_dict(tokenizer)
    assert broken_words("\u200b".join(tokenizer.cut(sentence)), words) == []


def test_no_zero_width_space_reaches_the_reader(index, site):
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert search.ZWSP not in raw and "\\u200b" not in raw.split('"docs"', 1)[1]
    titles = [d["title"] for d in index["docs"]]
    assert sum(search.WBR in t for t in titles) > len(titles) / 2, \
        "the words of the titles are no longer marked: is jieba still cutting?"


def test_each_page_keywords_are_in_its_title_entry_only(index):
    keywords = front_matter_keywords()
    assert sum(bool(k) for k in keywords.values()) >= 9, "pages without keywords:"
    fields = index["config"]["fields"]
    assert fields[search.FIELD]["boost"] == fields["title"]["boost"]
    docs = {d["location"]: d for d in index["docs"]}
    for url, terms in keywords.items():
        words = docs[url].get(search.FIELD, "").split()
        for term in terms:
            for part in re.findall(search.HAN.pattern + r"|[^\s\u3400-\u9fff]+", term):
                assert part in words, f"{url}: {part!r} (of {term!r}) not in its keywords"
    others = [loc for loc, d in docs.items() if search.FIELD in d and loc not in keywords]
    assert not others, f"keywords on entries that are not a page title: {others}"


def test_a_synonym_is_in_the_index_only_through_keywords(index):
    """Negative control for the keywords: these synonyms are in the text of no page,
    so without the page's keywords: no word of the index starts with them (and the
    baseline site finds nothing for them)."""
    def words(text):
        return [w.lower() for w in re.split(r"<[^>]*>|[\s\u200b]+", text) if w]

    for synonym, page in [("万能近似定理", "4-6/"), ("万能逼近定理", "4-6/"),
                          ("zero-centred", "4-1/")]:
        in_keywords = {d["location"] for d in index["docs"]
                       if any(w.startswith(synonym) for w in words(d.get(search.FIELD, "")))}
        in_text = {d["location"] for d in index["docs"]
                   if any(w.startswith(synonym) for w in words(d["title"] + " " + d["text"]))}
        assert in_keywords == {page} and not in_text, (synonym, in_keywords, in_text)


def test_material_query_segmenter_is_replaced(site):
    import material

    bundled = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    (original,) = bundled.glob("search.*.min.js")
    (shipped,) = (site / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    assert shipped.name == original.name
    text = shipped.read_text(encoding="utf-8")
    assert text.count(search.PATCHED) == 1
    assert not search.MATERIAL_SEGMENTER.search(text)
    name = re.search(re.escape(search.PATCHED) + r"function (\w+)\(", text).group(1)
    assert f"{name}(s,this.index.invertedIndex)" in text, "the patched function is not called"
    assert search.patch_worker(original.read_text(encoding="utf-8")) == text


class _Page:
    def __init__(self, meta):
        self.meta, self.url = meta, "4-9/"
        self.file = type("F", (), {"src_uri": "4-9.md"})()


def test_bad_keywords_fail_the_build_clearly():
    with pytest.raises(PluginError, match=r"4-9.md: keywords: must be a list"):
        mkdocs_hooks.on_page_context({}, _Page({"keywords": "梯度消失, vanishing"}), {}, None)
    with pytest.raises(PluginError, match=r"4-9.md: keywords: must be a list"):
        mkdocs_hooks.on_page_context({}, _Page({"keywords": ["梯度消失", ""]}), {}, None)


def test_a_bad_dictionary_line_is_an_error_with_its_line(tmp_path):
    bad = tmp_path / "terms.txt"
    bad.write_text("# ok\n梯度消失\n梯度消失 12\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"terms.txt:3: 梯度消失 is listed twice"):
        search.read_terms(bad)
    bad.write_text("zero init\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"terms.txt:1: 'zero init': only Chinese"):
        search.read_terms(bad)
