"""tools.crosscheck: the check that every page prints the same on every machine
(it runs in CI; here its comparison and its variant set-up are tested)."""

import pytest

from tools import crosscheck


def _result(**cells):
    return {"corename": "X", "pages": {"ex9_9": {name: {"stdout": out, "svg": svg}
                                                  for name, (out, svg) in cells.items()}}}


def test_a_cell_that_prints_differently_is_reported_with_its_diff():
    ref = _result(a=("loss 0.25\n", ""), b=("ok\n", "h1"))
    other = _result(a=("loss 0.26\n", ""), b=("ok\n", "h2"))
    printed, drawn = crosscheck.compare(ref, other)
    assert len(printed) == 1 and printed[0].startswith("ex9_9:a")
    assert "-loss 0.25" in printed[0] and "+loss 0.26" in printed[0]
    assert drawn == ["ex9_9:b"]  # figures are reported, not failed
    assert crosscheck.compare(ref, ref) == ([], [])


def test_variants_set_the_kernel_threads_and_numpy_simd():
    env = crosscheck.variant_env("Prescott", 2, "baseline")
    assert env["OPENBLAS_CORETYPE"] == "Prescott"
    assert env["OPENBLAS_NUM_THREADS"] == env["OMP_NUM_THREADS"] == "2"
    from numpy._core._multiarray_umath import __cpu_dispatch__
    assert env.get("NPY_DISABLE_CPU_FEATURES", "").split() == list(__cpu_dispatch__)
    plain = crosscheck.variant_env("default", 1)
    assert "OPENBLAS_CORETYPE" not in plain and "NPY_DISABLE_CPU_FEATURES" not in plain


def test_an_unknown_simd_level_is_a_clear_error():
    with pytest.raises(ValueError, match="default, avx2 or baseline"):
        crosscheck.simd_disable("sse9")


def test_build_specs_are_parsed_and_bad_ones_rejected():
    assert crosscheck.parse_build("default") == ("default", "")
    assert crosscheck.parse_build("Prescott:serial") == ("Prescott", "serial")
    assert crosscheck.parse_build("default:warm") == ("default", "warm")
    for bad in ("", ":serial", "default:fast"):
        with pytest.raises(ValueError, match="KERNEL, KERNEL:serial or KERNEL:warm"):
            crosscheck.parse_build(bad)


def test_tree_comparison_finds_every_kind_of_difference(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "sub").mkdir(parents=True)
        (root / "same.html").write_text("x")
    (a / "sub" / "f.svg").write_text("<svg>1</svg>")
    (b / "sub" / "f.svg").write_text("<svg>2</svg>")
    (a / "only-a.html").write_text("")
    (b / "only-b.html").write_text("")
    found = dict(crosscheck.compare_trees(a, b))
    assert set(found) == {"sub/f.svg", "only-a.html", "only-b.html"}
    assert "first difference at byte 5" in found["sub/f.svg"]
    assert crosscheck.compare_trees(a, a) == []
