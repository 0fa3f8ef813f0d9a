"""A skip is known by its class, and a skip raised by the code under test is an error naming the
solution's file and line: a pass means every test ran to its end."""
import unittest

from harness_support import HAS_PYTEST, run_harness

DOUBLE_TESTS = """from sol import double

def test_one():
    assert double(1) == 2

def test_two():
    assert double(2) == 4

def test_three():
    assert double(3) == 6
"""


def both_paths(files, **options):
    """The fast path's run, and the real pytest's when pytest is there."""
    runs = [run_harness(files, **options)]
    if HAS_PYTEST:
        runs.append(run_harness(files, real_pytest=True, **options))
    return runs


class SkipFromTheSolutionTests(unittest.TestCase):
    def test_unittest_skiptest_from_the_solution_is_an_error_naming_its_file(self):
        solution = 'import unittest\n\ndef double(x):\n    if x == 2:\n        raise unittest.SkipTest("flaky input")\n    return 2 * x\n'
        for run in both_paths({"sol.py": solution, "test_sol.py": DOUBLE_TESTS}):
            two = run.results["test_two"]
            self.assertEqual(two["outcome"], "error", two)
            self.assertIn("the code under test raised SkipTest('flaky input') at sol.py:5", two["message"])
            self.assertEqual(two["location"], "sol.py:5")
            self.assertEqual(run.outcomes["test_one"], "passed")

    def test_an_exception_the_solution_names_skipped_is_an_ordinary_error(self):
        solution = 'class Skipped(Exception):\n    pass\n\ndef double(x):\n    if x == 3:\n        raise Skipped("not today")\n    return 2 * x\n'
        for run in both_paths({"sol.py": solution, "test_sol.py": DOUBLE_TESTS}):
            three = run.results["test_three"]
            self.assertEqual(three["outcome"], "error")
            self.assertIn("Skipped", three["message"])

    def test_pytest_skip_called_by_the_solution_is_an_error(self):
        tests = "import pytest\nfrom sol import double\n\ndef test_one():\n    assert double(1) == 2\n\ndef test_two():\n    assert double(2) == 5\n"
        solution = "import pytest\n\ndef double(x):\n    if x == 2:\n        pytest.skip('hard')\n    return 2 * x\n"
        for run in both_paths({"sol.py": solution, "test_sol.py": tests}):
            self.assertEqual(run.results["test_two"]["outcome"], "error")
            self.assertEqual(run.results["test_two"]["location"], "sol.py:5")

    def test_a_skip_from_the_solution_inside_a_unittest_case_is_an_error(self):
        tests = """import unittest
from sol import double

class DoubleTests(unittest.TestCase):
    def test_small(self):
        self.assertEqual(double(1), 2)

    def test_big(self):
        self.assertEqual(double(50), 100)
"""
        solution = "import unittest\n\ndef double(x):\n    if x > 10:\n        raise unittest.SkipTest('too big')\n    return 2 * x\n"
        # The fast path only: under pytest 9 the harness's guard on the test method is replaced by
        # pytest before the call, so the real pytest reports a skip here, and selfdebug's
        # SkipAttribution (Swift) turns it into a failure afterwards.
        run = run_harness({"sol.py": solution, "test_sol.py": tests})
        self.assertEqual(run.results["DoubleTests.test_big"]["outcome"], "error")
        self.assertEqual(run.results["DoubleTests.test_small"]["outcome"], "passed")

    def test_a_skip_from_the_solution_in_setup_is_an_error(self):
        tests = """import unittest
from sol import prepare

class Tests(unittest.TestCase):
    def setUp(self):
        prepare()

    def test_it(self):
        pass
"""
        solution = "import unittest\n\ndef prepare():\n    raise unittest.SkipTest('no setup today')\n"
        fast, *real = both_paths({"sol.py": solution, "test_sol.py": tests})
        self.assertEqual(fast.results["Tests.test_it"]["outcome"], "error")
        self.assertEqual(fast.results["Tests.test_it"]["location"], "sol.py:4")
        # Under the real pytest it is an error too, located where the harness raised it.
        self.assertEqual([run.results["Tests.test_it"]["outcome"] for run in real], ["error"] * len(real))

    def test_a_module_skipped_at_import_by_the_solution_never_passes(self):
        solution = "import pytest\npytest.skip('no module', allow_module_level=True)\n\ndef double(x):\n    return 2 * x\n"
        tests = "import pytest\nfrom sol import double\n\ndef test_one():\n    assert double(1) == 2\n"
        for run in both_paths({"sol.py": solution, "test_sol.py": tests}):
            self.assertEqual([event["outcome"] for event in run.of("result") if event["outcome"] == "passed"], [])
            self.assertTrue(run.of("collection_error"), run.events)


class SkipsTheTestsDecideTests(unittest.TestCase):
    def test_skips_raised_by_the_tests_and_their_helpers_stay_skips(self):
        tests = ("import unittest\nfrom helper import need\nfrom sol import double\n\n"
                 "def test_helper():\n    need('network')\n\n"
                 "def test_direct():\n    raise unittest.SkipTest('decided here')\n\n"
                 "def test_runs():\n    assert double(4) == 8\n")
        helper = "import unittest\n\ndef need(what):\n    raise unittest.SkipTest('needs ' + what)\n"
        files = {"sol.py": "def double(x):\n    return 2 * x\n", "helper.py": helper, "test_sol.py": tests}
        for run in both_paths(files, pristine=["helper.py", "test_sol.py"]):
            self.assertEqual(run.outcomes, {"test_helper": "skipped", "test_direct": "skipped", "test_runs": "passed"})
            self.assertEqual(run.results["test_helper"]["message"], "needs network")

    def test_a_helper_that_is_not_the_tasks_own_is_code_under_test(self):
        tests = "from helper import need\n\ndef test_helper():\n    need('network')\n"
        helper = "import unittest\n\ndef need(what):\n    raise unittest.SkipTest('needs ' + what)\n"
        run = run_harness({"helper.py": helper, "test_sol.py": tests})
        self.assertEqual(run.results["test_helper"]["outcome"], "error")
        self.assertEqual(run.results["test_helper"]["location"], "helper.py:4")


if __name__ == "__main__":
    unittest.main()
