import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec

@Suite("Reading a project's own test output")
struct TestOutputParserTests {
    let pytest = """
    .F.                                                                      [100%]
    =================================== FAILURES ===================================
    ________________________________ test_discount _________________________________

        def test_discount():
    >       assert total([200], discount=10) == 180
    E       assert 190 == 180
    E        +  where 190 = total([200], discount=10)

    tests/test_cart.py:7: AssertionError
    ___________________________________ T.test_u ___________________________________

    self = <test_calc.T testMethod=test_u>

        def test_u(self):
    >       self.assertEqual(add(2,2), 4)

    src/calc.py:9: in add
        return a - b
    E   ZeroDivisionError: division by zero

    tests/test_cart.py:12: ZeroDivisionError
    =========================== short test summary info ============================
    FAILED tests/test_cart.py::test_discount - assert 190 == 180
    FAILED tests/test_cart.py::T::test_u - ZeroDivisionError: division by zero
    FAILED tests/test_other.py::test_quiet - assert False
    2 failed, 1 passed in 0.11s
    """

    @Test func pytestFailuresSummaryAndTotals() {
        let files = ["tests/test_cart.py": "", "src/calc.py": "", "tests/test_other.py": ""]
        let parsed = TestOutputParser.parse(pytest, workspace: "/w", files: files)
        #expect(parsed.tests.map(\.name) == ["test_discount", "T.test_u", "test_quiet"])
        #expect(parsed.tests[0].outcome == .failed)
        #expect(parsed.tests[0].location == "tests/test_cart.py:7")
        #expect(parsed.tests[0].message == "assert 190 == 180")
        #expect(parsed.tests[1].outcome == .error)
        #expect(parsed.tests[1].message == "ZeroDivisionError: division by zero")
        #expect(parsed.tests[2].message == "assert False")
        #expect(parsed.totals == TestTotals(passed: 1, failed: 2, skipped: 0))
        #expect(parsed.referencedFiles == ["tests/test_cart.py", "src/calc.py"])
    }

    @Test func unittestOutput() {
        let output = """
        .F
        ======================================================================
        FAIL: test_u (test_u.T.test_u)
        ----------------------------------------------------------------------
        Traceback (most recent call last):
          File "/w/test_u.py", line 5, in test_u
            self.assertEqual(add(2,2), 4)
        AssertionError: 0 != 4

        ----------------------------------------------------------------------
        Ran 2 tests in 0.000s

        FAILED (failures=1)
        """
        let parsed = TestOutputParser.parse(output, workspace: "/w", files: ["test_u.py": ""])
        #expect(parsed.tests.map(\.name) == ["T.test_u"])
        #expect(parsed.tests.first?.message == "AssertionError: 0 != 4")
        #expect(parsed.tests.first?.location == "test_u.py:5")
        #expect(parsed.totals == TestTotals(passed: 1, failed: 1, skipped: 0))
    }

    @Test func pythonSyntaxErrorDuringCollection() {
        let output = """
        ==================================== ERRORS ====================================
        _____________________ ERROR collecting tests/test_cart.py ______________________
        E     File "/w/src/shop/cart.py", line 3
        E       return sum(prices) -
        E                           ^
        E   SyntaxError: invalid syntax
        """
        let parsed = TestOutputParser.parse(output, workspace: "/w", files: ["src/shop/cart.py": ""])
        #expect(parsed.diagnostics.first?.file == "src/shop/cart.py")
        #expect(parsed.diagnostics.first?.line == 3)
        #expect(parsed.diagnostics.first?.message == "SyntaxError: invalid syntax")
    }
}
