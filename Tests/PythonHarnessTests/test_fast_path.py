"""The fast path end to end: test files in, one JSON line per event out, as PythonTestRunner reads them."""
import unittest

from harness_support import HAS_PYTEST, run_harness

ADD_TESTS = """import pytest
from sol import add

def test_add():
    assert add(2, 2) == 4

def test_negative():
    assert add(-1, -1) == -2

def test_type_error():
    with pytest.raises(TypeError):
        add("a", 1)
"""


def add_run(solution, tests=ADD_TESTS, **options):
    return run_harness({"sol.py": solution, "test_sol.py": tests}, **options)


class FunctionsTests(unittest.TestCase):
    def test_passing_code_passes_in_order_and_finishes(self):
        run = add_run("def add(a, b):\n    return a + b\n")
        self.assertEqual(run.of("collected")[0]["tests"], ["test_add", "test_negative", "test_type_error"])
        self.assertEqual([event["name"] for event in run.of("start")], ["test_add", "test_negative", "test_type_error"])
        self.assertEqual(set(run.outcomes.values()), {"passed"})
        self.assertEqual(run.of("done"), [{"event": "done", "exit_code": 0}])
        self.assertEqual(run.of("runner"), [], "the fast path needs no pytest")

    def test_a_failing_assert_shows_both_sides(self):
        run = add_run("def add(a, b):\n    return a * b\n")
        failed = run.results["test_negative"]
        self.assertEqual(failed["outcome"], "failed")
        self.assertEqual(failed["message"], "assert add(-1, -1) == -2")
        self.assertEqual(failed["details"], ["left:  add(-1, -1) = 1", "right: -2"])
        self.assertEqual(failed["location"], "test_sol.py:8")
        self.assertEqual(run.outcomes["test_add"], "passed")

    def test_an_assert_without_a_comparison_shows_its_value_and_message(self):
        tests = "from sol import find\n\ndef test_find():\n    assert find('b'), 'nothing found'\n\ndef test_in():\n    assert 'x' not in find('a')\n"
        run = run_harness({"sol.py": "def find(key):\n    return {'a': 'xy'}.get(key)\n", "test_sol.py": tests})
        self.assertEqual(run.results["test_find"]["message"], "assert find('b')\nnothing found")
        self.assertEqual(run.results["test_find"]["details"], ["value: find('b') = None"])
        self.assertEqual(run.results["test_in"]["details"], ["left:  'x'", "right: find('a') = 'xy'"])

    def test_each_side_is_evaluated_once(self):
        tests = "from sol import tick\n\ndef test_tick():\n    assert tick() == 1\n    assert tick() == 2\n"
        run = run_harness({"sol.py": "count = [0]\n\ndef tick():\n    count[0] += 1\n    return count[0]\n", "test_sol.py": tests})
        self.assertEqual(run.outcomes, {"test_tick": "passed"})

    def test_an_exception_points_into_the_solution(self):
        run = add_run("def add(a, b):\n    return a + b + undefined_name\n")
        failed = run.results["test_add"]
        self.assertEqual(failed["outcome"], "error")
        self.assertEqual(failed["message"], "NameError: name 'undefined_name' is not defined")
        self.assertEqual(failed["traceback"][-1], {"file": "sol.py", "line": 2, "function": "add", "code": "return a + b + undefined_name"})
        self.assertEqual(failed["location"], "test_sol.py:5")

    def test_output_is_captured_per_test_and_cut(self):
        solution = "def add(a, b):\n    print('adding', a, b)\n    print('x' * 5000)\n    return a + b\n"
        output = add_run(solution).results["test_add"]["output"]
        self.assertEqual(len(output), 2000)
        self.assertTrue(output.endswith("x\n"))

    def test_sys_exit_in_the_code_is_an_error(self):
        run = add_run("import sys\n\ndef add(a, b):\n    sys.exit(3)\n")
        self.assertEqual(run.results["test_add"]["outcome"], "error")
        self.assertEqual(run.results["test_add"]["message"], "SystemExit: 3")
        self.assertTrue(run.done)

    def test_exiting_early_leaves_no_done_line(self):
        run = add_run("import os\n\ndef add(a, b):\n    os._exit(0)\n")
        self.assertFalse(run.done)
        self.assertEqual(run.of("start")[-1]["name"], "test_add")

    def test_rewriting_the_tests_at_run_time_changes_nothing(self):
        cheat = ('import glob\nfor path in glob.glob("test_*.py"):\n    with open(path, "w") as handle:\n'
                 '        handle.write("def test_nothing():\\n    pass\\n")\n\ndef add(a, b):\n    return 0\n')
        run = add_run(cheat)
        self.assertEqual(sorted(run.outcomes), ["test_add", "test_negative", "test_type_error"])
        self.assertEqual(run.outcomes["test_add"], "failed")


class CollectionErrorsTests(unittest.TestCase):
    def test_a_syntax_error_names_its_file_line_and_source(self):
        run = add_run("def add(a, b)\n    return a + b\n")
        error = run.of("collection_error")[0]
        self.assertEqual((error["file"], error["line"], error["type"]), ("sol.py", 1, "SyntaxError"))
        self.assertEqual(error["source"], "def add(a, b)")
        self.assertEqual(run.of("done"), [{"event": "done", "exit_code": 2}])
        self.assertEqual(run.of("result"), [])

    def test_a_missing_name_is_an_import_error_at_the_import(self):
        error = add_run("def plus(a, b):\n    return a + b\n").of("collection_error")[0]
        self.assertEqual(error["type"], "ImportError")
        self.assertIn("cannot import name 'add'", error["message"])
        self.assertEqual((error["file"], error["line"], error["source"]), ("test_sol.py", 2, "from sol import add"))


class UnittestCasesTests(unittest.TestCase):
    def test_cases_run_with_their_messages(self):
        tests = """import unittest
from sol import add

class AddTests(unittest.TestCase):
    def test_add(self):
        self.assertEqual(add(1, 2), 3)

    def test_wrong(self):
        self.assertEqual(add(1, 1), 3)

    @unittest.skip("later")
    def test_skipped(self):
        pass

    @unittest.expectedFailure
    def test_expected(self):
        self.assertEqual(add(1, 1), 3)
"""
        run = run_harness({"sol.py": "def add(a, b):\n    return a + b\n", "test_sol.py": tests})
        self.assertEqual(run.of("collected")[0]["tests"], ["AddTests.test_add", "AddTests.test_expected", "AddTests.test_skipped", "AddTests.test_wrong"])
        self.assertEqual(run.outcomes, {"AddTests.test_add": "passed", "AddTests.test_wrong": "failed",
                                        "AddTests.test_skipped": "skipped", "AddTests.test_expected": "passed"})
        self.assertEqual(run.results["AddTests.test_wrong"]["message"], "2 != 3")
        self.assertEqual(run.results["AddTests.test_skipped"]["message"], "later")

    def test_a_failing_subtest_fails_its_test_and_names_its_parameters(self):
        tests = """import unittest
from sol import add

class AddTests(unittest.TestCase):
    def test_many(self):
        for a, b, total in [(1, 1, 2), (2, 2, 5), (3, 3, 7)]:
            with self.subTest(a=a, b=b):
                self.assertEqual(add(a, b), total)
"""
        failed = run_harness({"sol.py": "def add(a, b):\n    return a + b\n", "test_sol.py": tests}).results["AddTests.test_many"]
        self.assertEqual(failed["outcome"], "failed")
        self.assertIn("4 != 5", failed["message"])
        self.assertIn("a=2", failed["details"][0])
        self.assertIn("b=2", failed["details"][0])


class PytestSubstituteTests(unittest.TestCase):
    """What the built-in pytest provides: raises, approx, parametrize, skip, skipif, xfail, fail, warns, importorskip."""

    def test_parametrize_names_each_case_as_pytest_does(self):
        tests = """import pytest
from sol import f

@pytest.mark.parametrize("xs,m", [([1], 1), pytest.param([1, 1, 4], 3, id="odd"), ("ab", "ab"), (1.5, 1.5), (None, None)])
def test_values(xs, m):
    assert f(xs) == m

@pytest.mark.parametrize("a", [1, 2])
@pytest.mark.parametrize("b", [10, None])
def test_stacked(a, b):
    assert a < 2

@pytest.mark.parametrize(("a", "b"), [(1, 2), (3, 4)], ids=["low", "high"])
def test_ids(a, b):
    assert a < b
"""
        run = run_harness({"sol.py": "def f(x):\n    return x\n", "test_sol.py": tests})
        self.assertEqual(run.of("collected")[0]["tests"], [
            "test_values[xs0-1]", "test_values[odd]", "test_values[ab-ab]", "test_values[1.5-1.5]", "test_values[None-None]",
            "test_stacked[10-1]", "test_stacked[10-2]", "test_stacked[None-1]", "test_stacked[None-2]",
            "test_ids[low]", "test_ids[high]"])
        self.assertEqual(run.outcomes["test_values[odd]"], "failed")
        self.assertEqual(run.results["test_values[odd]"]["details"], ["left:  f(xs) = [1, 1, 4]", "right: m = 3"])
        self.assertEqual(run.outcomes["test_stacked[10-2]"], "failed")
        self.assertEqual(run.outcomes["test_ids[high]"], "passed")

    def test_raises_approx_fail_warns_and_importorskip(self):
        tests = """import pytest
import warnings
from sol import mean

def test_approx():
    assert mean([0.1, 0.2]) == pytest.approx(0.15)
    assert [mean([1, 2]), 3.0000000001] == pytest.approx([1.5, 3])

def test_approx_off():
    assert mean([1, 2]) == pytest.approx(1.6)

def test_raises_match():
    with pytest.raises(ZeroDivisionError, match="division") as info:
        mean([])
    assert info.typename == "ZeroDivisionError"

def test_did_not_raise():
    with pytest.raises(ValueError):
        mean([1])

def test_fail():
    pytest.fail("explicit")

def test_warns():
    with pytest.warns(UserWarning, match="careful"):
        warnings.warn("be careful")

def test_importorskip():
    pytest.importorskip("no_such_module_here")
"""
        run = run_harness({"sol.py": "def mean(xs):\n    return sum(xs) / len(xs)\n", "test_sol.py": tests})
        self.assertEqual(run.outcomes, {"test_approx": "passed", "test_approx_off": "failed", "test_raises_match": "passed",
                                        "test_did_not_raise": "failed", "test_fail": "failed", "test_warns": "passed",
                                        "test_importorskip": "skipped"})
        self.assertEqual(run.results["test_did_not_raise"]["message"], "DID NOT RAISE <class 'ValueError'>")
        self.assertEqual(run.results["test_fail"]["message"], "explicit")
        self.assertEqual(run.results["test_importorskip"]["message"], "could not import 'no_such_module_here'")

    def test_skip_skipif_and_xfail_marks(self):
        tests = """import pytest
from sol import double

@pytest.mark.skip(reason="waiting for the spec")
def test_skip():
    assert double(1) == 3

@pytest.mark.skipif(True, reason="not here")
def test_skipif():
    assert double(1) == 3

@pytest.mark.skipif(False, reason="runs")
def test_not_skipped():
    assert double(1) == 2

@pytest.mark.xfail
def test_xfail():
    assert double(1) == 3

@pytest.mark.xfail
def test_xpass():
    assert double(1) == 2

def test_body_skip():
    pytest.skip("decided by the test")
"""
        run = run_harness({"sol.py": "def double(x):\n    return 2 * x\n", "test_sol.py": tests})
        self.assertEqual(run.outcomes, {"test_skip": "skipped", "test_skipif": "skipped", "test_not_skipped": "passed",
                                        "test_xfail": "skipped", "test_xpass": "failed", "test_body_skip": "skipped"})
        self.assertEqual(run.results["test_skip"]["message"], "waiting for the spec")
        self.assertEqual(run.results["test_xpass"]["message"], "unexpectedly passed (xfail)")
        self.assertEqual(run.results["test_body_skip"]["message"], "decided by the test")


@unittest.skipUnless(HAS_PYTEST, "pytest is not installed: the slow path cannot run")
class RealPytestTests(unittest.TestCase):
    def test_fixtures_need_the_real_pytest(self):
        tests = "from sol import add\n\ndef test_tmp(tmp_path):\n    assert add(1, 1) == 2\n"
        run = run_harness({"sol.py": "def add(a, b):\n    return a + b\n", "test_sol.py": tests})
        self.assertEqual(run.of("runner"), [{"event": "runner", "runner": "pytest", "reason": "tests use fixtures"}])
        self.assertEqual(run.outcomes, {"test_tmp": "passed"})

    def test_a_conftest_or_pytest_features_beyond_the_substitute_need_it(self):
        solution = {"sol.py": "def add(a, b):\n    return a + b\n"}
        conftest = run_harness(dict(solution, **{"conftest.py": "import pytest\n\n@pytest.fixture\ndef two():\n    return 2\n",
                                                 "test_sol.py": "from sol import add\n\ndef test_x(two):\n    assert add(two, 1) == 4\n"}))
        self.assertEqual(conftest.of("runner")[0]["reason"], "conftest.py present")
        self.assertEqual(conftest.results["test_x"]["outcome"], "failed")
        beyond = run_harness(dict(solution, **{"test_sol.py": "import pytest\nfrom sol import add\n\n@pytest.fixture\ndef two():\n    return 2\n\ndef test_x(two):\n    assert add(two, 1) == 3\n"}))
        self.assertEqual(beyond.of("runner")[0]["reason"], "tests use pytest features beyond raises, approx, mark and param")
        self.assertEqual(beyond.outcomes, {"test_x": "passed"})

    def test_both_paths_give_the_same_outcomes(self):
        files = {"sol.py": "def add(a, b):\n    return a * b\n", "test_sol.py": ADD_TESTS}
        fast, real = run_harness(files), run_harness(files, real_pytest=True)
        self.assertEqual(real.of("runner")[0]["reason"], "asked for")
        self.assertEqual(fast.outcomes, real.outcomes)
        self.assertEqual(real.results["test_negative"]["location"], "test_sol.py:8")


if __name__ == "__main__":
    unittest.main()
