"""What a student types into the site's search box, and the page that must come first.

Written as a reader would type them, in Chinese or English, with the field's usual
synonyms and the words of the exercise, not copied from the page headings.
``tests/test_browser.py`` types each one into Material's search box in Chromium and
checks that the first result is the page given here (and that no result shows a
zero-width space). To add a query, add a pair below; a pair is checked once its page
is on the site. If it fails, give the page the missing words in its front matter
(``search_terms``) or the segmenter the missing word in ``tools/search_terms.txt``
(see tools/search.py), rather than changing the query.
"""

# (query, page that must be the first result: '' is the home page)
QUERIES = [
    # 4-1: inputs that are all positive, and zero-mean inputs
    ("零均值", "4-1/"),
    ("零均值化", "4-1/"),
    ("输入全是正数", "4-1/"),
    ("输入恒为正 收敛慢", "4-1/"),
    ("梯度分量同号", "4-1/"),
    ("数据中心化 加快收敛", "4-1/"),
    ("zero-centered input", "4-1/"),
    # 4-2: XOR with two ReLU hidden units
    ("XOR", "4-2/"),
    ("异或", "4-2/"),
    ("用ReLU网络实现异或", "4-2/"),
    ("单个神经元为什么解决不了异或", "4-2/"),
    ("线性不可分", "4-2/"),
    ("xor two hidden units", "4-2/"),
    # 4-3: dying ReLU
    ("死亡", "4-3/"),
    ("dying ReLU", "4-3/"),
    ("ReLU 神经元死亡", "4-3/"),
    ("死亡ReLU怎么解决", "4-3/"),
    ("Leaky ReLU", "4-3/"),
    ("学习率过大导致神经元死亡", "4-3/"),
    # 4-4: derivatives of Swish and GELU
    ("Swish", "4-4/"),
    ("GELU", "4-4/"),
    ("swish 导数", "4-4/"),
    ("GELU 求导", "4-4/"),
    ("gelu derivative", "4-4/"),
    ("SiLU", "4-4/"),
    ("高斯误差线性单元", "4-4/"),
    # 4-5: parameter count against depth at a fixed number of neurons
    ("参数量", "4-5/"),
    ("参数数量和层数的关系", "4-5/"),
    ("神经元总数固定 层数", "4-5/"),
    ("更深的网络参数更少", "4-5/"),
    ("线性区域", "4-5/"),
    ("number of parameters vs depth", "4-5/"),
    # 4-6: universal approximation with ReLU
    ("通用近似", "4-6/"),
    ("万能近似定理", "4-6/"),
    ("万能逼近定理", "4-6/"),
    ("universal approximation theorem", "4-6/"),
    ("ReLU 能逼近任意连续函数吗", "4-6/"),
    # 4-7: why the bias is not regularised
    ("偏置", "4-7/"),
    ("偏置为什么不正则化", "4-7/"),
    ("为什么不惩罚偏置", "4-7/"),
    ("L2正则化 偏置", "4-7/"),
    ("权重衰减", "4-7/"),
    ("weight decay bias", "4-7/"),
    # 4-8: why not W = 0, b = 0
    ("对称", "4-8/"),
    ("零初始化", "4-8/"),
    ("全零初始化", "4-8/"),
    ("权重全部初始化为0", "4-8/"),
    ("为什么要随机初始化", "4-8/"),
    ("对称性破缺", "4-8/"),
    ("zero initialization", "4-8/"),
    ("zero initialisation", "4-8/"),
    # 4-9: can a larger learning rate cure vanishing gradients
    ("梯度消失", "4-9/"),
    ("学习率调大能不能解决梯度消失", "4-9/"),
    ("深层网络前几层梯度很小", "4-9/"),
    ("sigmoid 梯度消失", "4-9/"),
    ("vanishing gradient", "4-9/"),
    # the home page: the chapter as a whole
    ("前馈神经网络 课后习题", ""),
]

# The English edition's search box (on /en/), which searches the English pages only.
# Written before looking at those pages' keywords:, as an English-speaking student
# would type them.
EN_QUERIES = [
    ("zero-mean inputs", "en/4-1/"),
    ("why center the input data", "en/4-1/"),
    ("positive inputs slow convergence", "en/4-1/"),
    ("XOR", "en/4-2/"),
    ("xor relu network", "en/4-2/"),
    ("linearly separable", "en/4-2/"),
    ("dying ReLU", "en/4-3/"),
    ("dead neurons", "en/4-3/"),
    ("leaky relu", "en/4-3/"),
    ("swish derivative", "en/4-4/"),
    ("GELU", "en/4-4/"),
    ("number of parameters depth", "en/4-5/"),
    ("deeper network fewer parameters", "en/4-5/"),
    ("universal approximation theorem", "en/4-6/"),
    ("approximate any continuous function", "en/4-6/"),
    ("regularize the bias", "en/4-7/"),
    ("weight decay bias", "en/4-7/"),
    ("zero initialization", "en/4-8/"),
    ("symmetry breaking", "en/4-8/"),
    ("vanishing gradient learning rate", "en/4-9/"),
    ("sigmoid vanishing gradients", "en/4-9/"),
    ("chapter 4 worked answers", "en/"),   # first written as "feedforward network exercises": 4-2 came first
]
