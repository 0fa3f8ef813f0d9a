"""Program mode (benchmark sets): the solution and its tests run as one program; the solution's
own top-level code (the checks and prints small models append) is left out."""
import unittest

from harness_support import run_program
from selfdebug_asserts import parse, without_solution_statements

SOLUTION = '''import math
from functools import reduce

LIMIT = 10
total: int = 0

def square(x):
    return x * x

class Box:
    pass

try:
    import numpy
except ImportError:
    numpy = None

def check(candidate):
    assert candidate(2) == 5  # the model's own wrong check

check(square)
print(square(4))
for value in [1, 2]:
    print(value)
if __name__ == "__main__":
    print(square(4))
'''
SOLUTION_LINES = len(SOLUTION.split("\n"))


class WithoutSolutionStatementsTests(unittest.TestCase):
    def test_imports_definitions_and_assignments_stay_the_rest_is_left_out(self):
        tree = parse(SOLUTION + "\n\nassert square(3) == 9\n")
        dropped = without_solution_statements(tree, SOLUTION_LINES)
        self.assertEqual(dropped, [(21, 21), (22, 22), (23, 24), (25, 26)])
        kept = [type(node).__name__ for node in tree.body]
        self.assertEqual(kept, ["Import", "ImportFrom", "Assign", "AnnAssign", "FunctionDef", "ClassDef", "Try", "FunctionDef", "Assert"])

    def test_the_tests_after_the_solution_always_stay(self):
        tree = parse("def f():\n    return 1\n\nprint(f())\nassert f() == 1\n")
        self.assertEqual(without_solution_statements(tree, 2), [])
        self.assertEqual(len(tree.body), 3)


class RunProgramTests(unittest.TestCase):
    def test_the_solutions_own_checks_do_not_run_in_place_of_the_tests(self):
        run = run_program(SOLUTION + "\n\nassert square(3) == 9\n", SOLUTION_LINES)
        self.assertEqual(run.of("left_out"), [{"event": "left_out", "lines": ["21", "22", "23-24", "25-26"]}])
        self.assertEqual(run.outcomes, {"tests": "passed"})
        self.assertTrue(run.done)

    def test_the_solutions_own_assert_is_left_out_whole_even_when_its_call_raises(self):
        # Rewritten first, an assert's operands became assignments that the cut kept, so the
        # model's own `assert f(bad) == x` still ran and its error was the run's (MBPP/617).
        solution = "def first(pair):\n    return pair[0]\n\nassert first(11) == 3\n"
        run = run_program(solution + "\nassert first((3, 4)) == 3\n", len(solution.split("\n")))
        self.assertEqual(run.outcomes, {"tests": "passed"}, run.results)
        self.assertEqual(run.of("left_out")[0]["lines"], ["4"])

    def test_a_failing_assert_in_the_tests_shows_both_sides(self):
        run = run_program("def square(x):\n    return x + x\n\n\nassert square(3) == 9\n", 2)
        failed = run.results["tests"]
        self.assertEqual(failed["outcome"], "failed")
        self.assertEqual(failed["message"], "assert square(3) == 9")
        self.assertEqual(failed["details"], ["left:  square(3) = 6", "right: 9"])
        self.assertEqual(failed["location"], "program.py:5")

    def test_exit_status_decides(self):
        self.assertEqual(run_program("import sys\n\n\nsys.exit(0)\n", 1).outcomes, {"tests": "passed"})
        failed = run_program("import sys\n\n\nsys.exit(4)\n", 1).results["tests"]
        self.assertEqual(failed["outcome"], "failed")
        self.assertEqual(failed["message"], "the program exited with status 4")

    def test_a_skip_is_not_a_pass(self):
        failed = run_program("def f():\n    return 1\n\n\nimport unittest\nraise unittest.SkipTest('no')\n", 2).results["tests"]
        self.assertEqual(failed["outcome"], "error")
        self.assertEqual(failed["message"], "the program raised SkipTest('no'): a skip is not a pass")

    def test_the_built_in_pytest_answers_when_it_covers_the_program(self):
        program = "def f(x):\n    return x / 0\n\n\nimport pytest\nwith pytest.raises(ZeroDivisionError):\n    f(1)\nassert f(2) == pytest.approx(1)\n"
        failed = run_program(program, 2).results["tests"]
        self.assertEqual(failed["outcome"], "error")
        self.assertEqual(failed["message"], "ZeroDivisionError: division by zero")
        self.assertEqual(failed["traceback"][-1]["file"], "program.py")

    def test_an_exceptions_notes_follow_its_message(self):
        # PEP 678 notes (a traced examples program adds the failing call's trace as one).
        program = "def f(x):\n    return [][x]\n\n\ntry:\n    f(1)\nexcept IndexError as error:\n    error.__notes__ = ['the trace']\n    raise\n"
        failed = run_program(program, 2).results["tests"]
        self.assertEqual(failed["message"], "IndexError: list index out of range")
        self.assertEqual(failed["details"], ["the trace"])

    def test_a_syntax_error_is_an_error_result(self):
        failed = run_program("def f(x)\n    return x\n\n\nassert f(1) == 1\n", 2).results["tests"]
        self.assertEqual(failed["outcome"], "error")
        self.assertTrue(failed["message"].startswith("SyntaxError"), failed)
        # Where and what, not "(program.py, line 1)" in the message (HumanEval/145: the model sent
        # its unclosed parenthesis back three times).
        unclosed = run_program("def f(xs):\n    return sorted(xs, key=lambda x: (x, 1)\n\n\nassert f([1]) == [1]\n", 2).results["tests"]
        self.assertEqual(unclosed["message"], "SyntaxError: '(' was never closed")
        self.assertEqual(unclosed["location"], "program.py:2")
        self.assertEqual(unclosed["details"], ["return sorted(xs, key=lambda x: (x, 1)", "             ^"])


if __name__ == "__main__":
    unittest.main()
