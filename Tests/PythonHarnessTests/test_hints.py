"""Hints: when an error's fix is certain from the error alone (a standard-library name used without
its import, a module that is not installed), the result says how to fix it."""
import unittest

from harness_support import run_harness, run_program
from selfdebug_outcomes import hint_for


def raised(code):
    try:
        exec(code, {})
    except BaseException as error:  # noqa: BLE001 - the error is what is tested
        return error
    raise AssertionError("no error")


class HintForTests(unittest.TestCase):
    def test_a_module_used_without_its_import(self):
        hint = hint_for(raised("math.sqrt(4)"))
        self.assertIn("add `import math`", hint)

    def test_a_standard_library_function_used_without_its_import(self):
        self.assertIn("from functools import reduce", hint_for(raised("reduce(lambda a, b: a + b, [1, 2])")))
        self.assertIn("from collections import Counter", hint_for(raised("Counter('abc')")))
        self.assertIn("from math import gcd", hint_for(raised("gcd(4, 6)")))

    def test_a_module_that_is_not_installed(self):
        hint = hint_for(raised("import numpy_that_is_not_here.linalg"))
        self.assertIn("`numpy_that_is_not_here` is not installed", hint)
        self.assertIn("only Python's standard library", hint)

    def test_no_hint_when_the_fix_is_not_certain(self):
        self.assertIsNone(hint_for(raised("undefined_helper_of_the_model(1)")))
        self.assertIsNone(hint_for(raised("def f():\n    x += 1\nf()")))  # UnboundLocalError
        self.assertIsNone(hint_for(raised("1 / 0")))
        self.assertIsNone(hint_for(raised("import json.not_a_submodule")))  # a standard-library module: no "install" hint


class HintInResultsTests(unittest.TestCase):
    def test_program_mode_says_which_import_is_missing(self):
        solution = "def product(xs):\n    return math.prod(xs)\n"
        run = run_program(solution + "\nassert product([2, 3]) == 6\n", len(solution.split("\n")))
        result = run.results["tests"]
        self.assertEqual(result["outcome"], "error")
        self.assertEqual(result["details"], ["hint: `math` is a standard-library module that the code uses without importing it: "
                                             "add `import math` at the top of the file."])

    def test_test_files_get_the_hint_too(self):
        run = run_harness({"solution.py": "def total(xs):\n    return reduce(lambda a, b: a + b, xs)\n",
                           "test_solution.py": "from solution import total\n\ndef test_total():\n    assert total([1, 2]) == 3\n"})
        result = run.results["test_total"]
        self.assertEqual(result["outcome"], "error")
        self.assertIn("from functools import reduce", result["details"][0])


if __name__ == "__main__":
    unittest.main()
