import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox

/// A pass means every required test ran to its end and passed: adversarial solutions that try to
/// turn failures into skips, in the real sandbox, on the fast path and under the real pytest.
@Suite("Skips are not passes")
struct SkipVerdictTests {
    let tests = """
    from sol import double

    def test_one():
        assert double(1) == 2

    def test_two():
        assert double(2) == 4

    def test_three():
        assert double(3) == 6
    """

    /// Runs on the fast path, then under the real pytest; both must agree.
    func bothPaths(_ solution: String, tests: String? = nil, extraTests: [String: String] = [:]) async throws -> [ExecOutcome] {
        let task = TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: ["test_sol.py": tests ?? self.tests].merging(extraTests) { a, _ in a }, timeout: 20, body: "x")
        let request = ExecRequest(task: task, files: ["sol.py": solution])
        let python = try await Toolchain.python()
        var runner = PythonTestRunner(python: python, sandbox: try BubblewrapSandbox(), limits: ResourceLimits())
        let fast = SkipAttribution.apply(to: try await runner.run(request), task: task, files: request.files)
        runner.realPytest = true
        let real = SkipAttribution.apply(to: try await runner.run(request), task: task, files: request.files)
        return [fast, real]
    }

    @Test func anExceptionNamedSkippedIsAnError() async throws {
        let solution = """
        class Skipped(Exception):
            pass

        def double(x):
            if x == 3:
                raise Skipped("not today")
            return 2 * x
        """
        for outcome in try await bothPaths(solution) {
            #expect(outcome.verdict == .testsFailed, "\(outcome.tests)")
            #expect(!outcome.passed)
            let three = try #require(outcome.tests.first { $0.name == "test_three" })
            #expect(three.outcome == .error)
            #expect(three.message?.contains("Skipped") == true)
        }
    }

    @Test func unittestSkipTestRaisedByTheSolutionIsAFailureThatSaysSo() async throws {
        let solution = """
        import unittest

        def double(x):
            if x == 2:
                raise unittest.SkipTest("flaky input")
            return 2 * x
        """
        for outcome in try await bothPaths(solution) {
            #expect(outcome.verdict == .testsFailed, "\(outcome.tests)")
            let two = try #require(outcome.tests.first { $0.name == "test_two" })
            #expect(two.outcome == .error)
            #expect(two.message?.contains("the code under test raised") == true, "\(two)")
            #expect(two.location?.hasPrefix("sol.py:") == true, "\(two)")
            #expect(outcome.passedCount == 2)
            let feedback = FeedbackBuilder().feedback(for: outcome, task: TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: [:], body: ""))
            #expect(feedback.hasPrefix("1 of 3 tests failed"), "\(feedback)")
        }
    }

    @Test func aSkipHiddenBehindATestFileNameIsStillCaught() async throws {
        // The location check can be fooled by code compiled under a test file's name; the solution
        // naming the skip machinery is caught by the second check.
        let solution = """
        import unittest
        exec(compile("def boom(x):\\n    raise unittest.SkipTest('x')\\n", "test_sol.py", "exec"))

        def double(x):
            if x == 1:
                boom(x)
            return 2 * x
        """
        for outcome in try await bothPaths(solution) {
            #expect(outcome.verdict == .testsFailed, "\(outcome.tests)")
            #expect(outcome.tests.first { $0.name == "test_one" }?.outcome == .error)
        }
    }

    @Test func aSkipInsideAUnittestCaseRaisedByTheSolutionFails() async throws {
        let tests = """
        import unittest
        from sol import double

        class DoubleTests(unittest.TestCase):
            def test_small(self):
                self.assertEqual(double(1), 2)

            def test_big(self):
                self.assertEqual(double(50), 100)
        """
        let solution = "import unittest\n\ndef double(x):\n    if x > 10:\n        raise unittest.SkipTest('too big')\n    return 2 * x\n"
        for outcome in try await bothPaths(solution, tests: tests) {
            #expect(outcome.verdict == .testsFailed, "\(outcome.tests)")
            #expect(outcome.tests.first { $0.name.hasSuffix("test_big") }?.outcome == .error, "\(outcome.tests)")
        }
    }

    @Test func everyTestSkippedIsNoTestsAndTheModelIsToldWhy() async throws {
        let tests = """
        import pytest
        from sol import double

        @pytest.mark.skip(reason="waiting for the spec")
        def test_one():
            assert double(1) == 2

        @pytest.mark.skipif(True, reason="not on this platform")
        def test_two():
            assert double(2) == 4
        """
        for outcome in try await bothPaths("def double(x):\n    return 2 * x\n", tests: tests) {
            #expect(outcome.verdict == .noTests, "\(outcome.tests)")
            #expect(!outcome.passed)
            #expect(outcome.skippedCount == 2)
            #expect(outcome.passedCount == 0)
            let feedback = FeedbackBuilder().feedback(for: outcome, task: TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: [:], body: ""))
            #expect(feedback.hasPrefix("No test ran to its end: all 2 tests were skipped"), "\(feedback)")
            #expect(feedback.contains("SKIPPED test_one: waiting for the spec"), "\(feedback)")
            #expect(feedback.contains("not on this platform"), "\(feedback)")
            #expect(!feedback.contains("printed nothing"))
        }
    }

    @Test func skipsTheTestsDecideStaySkipsAndTheRestMustPass() async throws {
        let tests = """
        import sys
        import pytest
        from sol import double

        @pytest.mark.skipif(sys.version_info < (3, 0), reason="python 2")
        def test_marked():
            assert double(1) == 2

        @pytest.mark.skipif(True, reason="never here")
        def test_never():
            assert double(1) == 3

        def test_body_skip():
            pytest.skip("decided by the test")

        def test_runs():
            assert double(4) == 8
        """
        for outcome in try await bothPaths("def double(x):\n    return 2 * x\n", tests: tests) {
            #expect(outcome.verdict == .passed, "\(outcome.tests)")
            #expect(outcome.skippedCount == 2)
            #expect(outcome.passedCount == 2)
            let feedback = FeedbackBuilder().feedback(for: outcome, task: TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: [:], body: ""))
            #expect(feedback.hasPrefix("All 2 tests that ran passed; 2 were skipped by the tests themselves."), "\(feedback)")
        }
    }

    @Test func theSolutionCallingPytestSkipFails() async throws {
        let tests = "import pytest\nfrom sol import double\n\ndef test_one():\n    assert double(1) == 2\n\ndef test_two():\n    assert double(2) == 5\n"
        let solution = "import pytest\n\ndef double(x):\n    if x == 2:\n        pytest.skip('hard')\n    return 2 * x\n"
        for outcome in try await bothPaths(solution, tests: tests) {
            #expect(outcome.verdict == .testsFailed, "\(outcome.tests)")
            #expect(outcome.tests.first { $0.name == "test_two" }?.outcome == .error)
        }
    }

    @Test func aProgramThatSkipsFails() async throws {
        var task = TaskSpec(language: .python, solutionFiles: ["solution.py"], tests: [:], timeout: 20, body: "x")
        task.programTests = "import unittest\nraise unittest.SkipTest('no')\n"
        let executor = try await TaskExecutor.make(for: .python, sandbox: try BubblewrapSandbox())
        let outcome = try await executor.run(ExecRequest(task: task, files: ["solution.py": "def f():\n    return 1\n"]))
        #expect(outcome.verdict == .testsFailed, "\(outcome.tests)")
        #expect(outcome.tests.first?.outcome == .error)
    }

    @Test func swiftSkipsFromTheSolutionFailAndTheTestsOwnSkipsStaySkips() async throws {
        let tests = """
        import XCTest
        @testable import Sol

        final class SolTests: XCTestCase {
            func testSmall() throws { XCTAssertEqual(try double(1), 2) }
            func testBig() throws { let value = try double(50); XCTAssertEqual(value, 100) }
            func testNotHere() throws { throw XCTSkip("decided by the test") }
        }
        """
        let cheat = "import XCTest\n\npublic func double(_ x: Int) throws -> Int {\n    if x > 10 { throw XCTSkip(\"too big\") }\n    return 2 * x\n}\n"
        let outcome = try await Run.swift(cheat, tests: tests)
        #expect(outcome.verdict == .testsFailed, "\(outcome.tests) \(Run.output(outcome))")
        let big = try #require(outcome.tests.first { $0.name.hasSuffix("testBig") })
        #expect(big.outcome == .error)
        #expect(big.message?.contains("Sol.swift:4") == true, "\(big)")

        let honest = try await Run.swift("public func double(_ x: Int) throws -> Int { 2 * x }\n", tests: tests)
        #expect(honest.verdict == .passed, "\(honest.tests) \(Run.output(honest))")
        #expect(honest.skippedCount == 1)
        #expect(honest.tests.first { $0.name.hasSuffix("testNotHere") }?.message == "decided by the test")
    }
}
