"""The harness's pieces one by one: its JSON writer, assert rewriting, parametrize's expansion,
the check that decides whether the built-in pytest is enough, and the tracer."""
import types
import unittest

import selfdebug_pytest_shim as shim
from harness_support import run_harness
from selfdebug_asserts import AssertRewriter, assertion_failed, parse
from selfdebug_context import to_json
from selfdebug_fastpath import expand, needs_pytest, parameter_id, required_arguments, shim_covers


class ToJsonTests(unittest.TestCase):
    def test_writes_what_the_json_module_reads(self):
        import json
        value = {"text": 'quote " backslash \\ tab \t line \n nul \x00 sep \u2028 é', "n": 3, "x": 1.5,
                 "flags": [True, False, None], "nested": ({"k": (1, 2)},), 7: "key"}
        self.assertEqual(json.loads(to_json(value)), json.loads(json.dumps(value, default=str)))

    def test_non_finite_numbers_and_unknown_values(self):
        self.assertEqual(to_json([float("nan"), float("inf")]), "[null, null]")
        self.assertEqual(to_json({1, 2} - {1, 2}), '"set()"')
        self.assertEqual(to_json("\ud800"), '"\\ud800"')


def run_rewritten(source):
    """Runs `source` with its asserts rewritten, as the harness loads test files."""
    namespace = {"__sd_assertion_failed": assertion_failed}
    exec(compile(AssertRewriter(source).visit(parse(source, "t.py")), "t.py", "exec"), namespace)
    return namespace


class AssertRewriterTests(unittest.TestCase):
    def failure(self, source):
        with self.assertRaises(AssertionError) as caught:
            run_rewritten(source)
        return str(caught.exception), caught.exception.details

    def test_a_comparison_shows_both_sides(self):
        self.assertEqual(self.failure("xs = [1, 2]\nassert len(xs) == 3\n"), ("assert len(xs) == 3", ["left:  len(xs) = 2", "right: 3"]))
        self.assertEqual(self.failure("assert 'a' in 'bcd', 'no a'\n"), ("assert 'a' in 'bcd'\nno a", ["left:  'a'", "right: 'bcd'"]))

    def test_other_asserts_show_the_value_of_a_call_or_name(self):
        self.assertEqual(self.failure("flag = 0\nassert flag\n"), ("assert flag", ["value: flag = 0"]))
        self.assertEqual(self.failure("assert 1 < 2 < 1\n"), ("assert 1 < 2 < 1", []))

    def test_asserts_inside_functions_and_blocks_are_rewritten_and_passing_ones_pass(self):
        namespace = run_rewritten("def check(x):\n    if x:\n        for i in [x]:\n            assert i == 2\n    return True\n")
        self.assertTrue(namespace["check"](2))
        with self.assertRaises(AssertionError) as caught:
            namespace["check"](1)
        self.assertEqual(caught.exception.details, ["left:  i = 1", "right: 2"])

    def test_long_and_broken_reprs_are_shown_safely(self):
        _, details = self.failure("assert 'x' * 400 == ''\n")
        self.assertTrue(details[0].endswith("... (402 characters)"), details[0])
        source = "class B:\n    def __repr__(self):\n        raise RuntimeError()\nb = B()\nassert b == 1\n"
        self.assertEqual(self.failure(source)[1], ["left:  b = <repr failed: RuntimeError>", "right: 1"])


def marked(function, *marks):
    function.pytestmark = [shim.Mark(name, args, kwargs) for name, args, kwargs in marks]
    return function


class ExpandTests(unittest.TestCase):
    def test_parametrize_gives_one_case_per_value_with_pytests_ids(self):
        def test_f(a, b):
            pass
        function = marked(test_f, ("parametrize", ("a,b", [(1, "x"), shim.param(2.5, None, id="given"), ([1], {"k": 1})]), {}))
        self.assertEqual(expand("test_f", function), [
            ("test_f[1-x]", {"a": 1, "b": "x"}, None, False),
            ("test_f[given]", {"a": 2.5, "b": None}, None, False),
            ("test_f[a2-b2]", {"a": [1], "b": {"k": 1}}, None, False)])

    def test_stacked_parametrize_skip_and_xfail(self):
        def test_f(a, b):
            pass
        # In the order pytestmark lists them: the decorator nearest the function first.
        function = marked(test_f, ("parametrize", ("a", [1, 2]), {}), ("parametrize", ("b", ["p\nq"]), {"ids": None}),
                          ("skip", (), {"reason": "later"}), ("xfail", (), {}))
        self.assertEqual(expand("test_f", function), [
            ("test_f[1-p\\nq]", {"a": 1, "b": "p\nq"}, "later", True),
            ("test_f[2-p\\nq]", {"a": 2, "b": "p\nq"}, "later", True)])

    def test_skipif_applies_only_when_its_condition_holds(self):
        def test_f():
            pass
        self.assertEqual(expand("test_f", marked(test_f, ("skipif", (False,), {"reason": "no"}))), [("test_f", {}, None, False)])
        self.assertEqual(expand("test_f", marked(test_f, ("skipif", (True,), {"reason": "yes"}))), [("test_f", {}, "yes", False)])

    def test_parameter_ids(self):
        self.assertEqual([parameter_id(value, "v", 3) for value in (True, 0, 1.5, None, "é", (1,), object)], ["True", "0", "1.5", "None", "\\xe9", "v3", "v3"])

    def test_fixtures_are_the_arguments_parametrize_does_not_give(self):
        def test_f(a, tmp_path, b=1, *, c, d=2):
            pass
        self.assertEqual(required_arguments(test_f), {"a", "tmp_path", "c"})
        module = types.ModuleType("m")
        module.test_f = marked(test_f, ("parametrize", ("a, c", [(1, 2)]), {}))
        self.assertTrue(needs_pytest(module))
        module.test_f = marked(test_f, ("parametrize", (["a", "c", "tmp_path"], [(1, 2, 3)]), {}))
        self.assertFalse(needs_pytest(module))


class ShimCoversTests(unittest.TestCase):
    def test_what_the_built_in_pytest_provides(self):
        covered = ("import pytest\nfrom pytest import raises, approx\n"
                   "@pytest.mark.parametrize('x', [pytest.param(1)])\n@pytest.mark.xfail\ndef test_x(x):\n"
                   "    with raises(ValueError):\n        pytest.fail('no')\n    pytest.importorskip('json')\n")
        self.assertTrue(shim_covers({"test_a.py": covered, "test_b.py": "import unittest\n"}))

    def test_what_needs_the_real_pytest(self):
        for source in ("import pytest\n@pytest.fixture\ndef thing():\n    pass\n",
                       "from pytest import fixture\n", "import pytest\n@pytest.mark.timeout(3)\ndef test_x():\n    pass\n",
                       "import _pytest.monkeypatch\n", "from _pytest import outcomes\n", "import pytest.mark\n",
                       "import pytest\npytest = None\n", "import pytest as pt\npt.monkeypatch\n", "def broken(:\n"):
            self.assertFalse(shim_covers({"test_a.py": source}), source)


class BuiltInPytestTests(unittest.TestCase):
    def test_approx(self):
        self.assertEqual(0.1 + 0.2, shim.approx(0.3))
        self.assertNotEqual(0.31, shim.approx(0.3))
        self.assertEqual({"a": 1.0000001}, shim.approx({"a": 1}))
        self.assertEqual(101, shim.approx(100, abs=1))
        self.assertNotEqual(float("nan"), shim.approx(float("nan")))
        self.assertEqual(float("nan"), shim.approx(float("nan"), nan_ok=True))
        self.assertNotEqual([1, 2], shim.approx([1, 2, 3]))
        self.assertEqual(repr(shim.approx(1.5)), "approx(1.5)")

    def test_raises_and_its_info(self):
        with shim.raises(ValueError, match=r"ba+d") as info:
            raise ValueError("baaad input")
        self.assertEqual((info.typename, str(info.value)), ("ValueError", "baaad input"))
        with self.assertRaises(shim.Failed):
            with shim.raises(ValueError):
                pass
        with self.assertRaises(KeyError):
            with shim.raises(ValueError):
                raise KeyError("other")
        with self.assertRaises(AssertionError):
            shim.raises(ValueError, int, "x", match="nothing like it")
        self.assertEqual(shim.raises(ZeroDivisionError, lambda: 1 / 0).typename, "ZeroDivisionError")

    def test_marks_attach_to_functions_and_keep_their_arguments(self):
        @shim.mark.parametrize("x", [1])
        @shim.mark.skipif(True, reason="r")
        def test_f(x):
            pass
        self.assertEqual([(m.name, m.args, m.kwargs) for m in test_f.pytestmark],
                         [("skipif", (True,), {"reason": "r"}), ("parametrize", ("x", [1]), {})])
        self.assertIsInstance(shim.mark.parametrize("f", [lambda: 1]), shim.MarkDecorator)

    def test_skip_and_fail_raise_their_own_classes(self):
        self.assertRaises(shim.Skipped, shim.skip, "later")
        self.assertRaises(shim.Failed, shim.fail, "no")
        self.assertIs(shim.skip.Exception, shim.Skipped)
        self.assertRaises(shim.Skipped, shim.importorskip, "no_such_module_here")


class TraceTests(unittest.TestCase):
    def test_the_trace_shows_the_solutions_blocks_first_and_last(self):
        files = {"sol.py": "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n",
                 "test_sol.py": "from sol import fib\n\ndef test_fib():\n    assert fib(30) == 1\n"}
        run = run_harness(files, env={"SELFDEBUG_TRACE": "test_fib"})
        self.assertEqual(run.of("result"), [], "a traced run reports the trace only")
        text = run.of("trace")[0]["text"]
        self.assertTrue(text.startswith("Trace of test_fib"), text)
        self.assertIn("[1] sol.py:fib lines 2-4: n = 30, a = 1, b = 1, _ = 0", text)
        self.assertIn("blocks not shown", text)
        self.assertIn("-> returns 832040", text)
        self.assertLessEqual(len(text.split("\n")), 12)

    def test_an_exception_ends_its_block(self):
        files = {"sol.py": "def f(n):\n    x = n * 2\n    raise ValueError(x)\n",
                 "test_sol.py": "from sol import f\n\ndef test_f():\n    assert f(3) == 1\n"}
        text = run_harness(files, env={"SELFDEBUG_TRACE": "test_f"}).of("trace")[0]["text"]
        self.assertIn("sol.py:f lines 2-3: n = 3, x = 6 -> raises ValueError: 6", text)
        # The frame unwinding after the raise is not a block that "returns None".
        self.assertNotIn("returns None", text)
        self.assertIn("(the solution's variables after each block of lines, in order; 1 block)", text)

    def test_an_exception_caught_in_its_frame_goes_on_in_a_new_block(self):
        files = {"sol.py": "def f(n):\n    try:\n        x = n // 0\n    except ZeroDivisionError:\n        x = -1\n    return x\n",
                 "test_sol.py": "from sol import f\n\ndef test_f():\n    assert f(3) == 1\n"}
        text = run_harness(files, env={"SELFDEBUG_TRACE": "test_f"}).of("trace")[0]["text"]
        self.assertIn("-> raises ZeroDivisionError: integer division or modulo by zero", text)
        self.assertIn("x = -1 -> returns -1", text)


if __name__ == "__main__":
    unittest.main()
