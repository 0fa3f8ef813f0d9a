import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox

@Suite("Python tests in the sandbox")
struct PythonRunnerTests {
    let tests = """
    import pytest
    from sol import add

    def test_add():
        assert add(2, 2) == 4

    def test_negative():
        assert add(-1, -1) == -2

    def test_type_error():
        with pytest.raises(TypeError):
            add("a", 1)
    """

    @Test func passingCodePasses() async throws {
        let outcome = try await Run.python("def add(a, b):\n    return a + b\n", tests: tests)
        #expect(outcome.verdict == .passed, "\(outcome)")
        #expect(outcome.tests.map(\.name) == ["test_add", "test_negative", "test_type_error"])
    }

    @Test func failingAssertShowsTheValues() async throws {
        let outcome = try await Run.python("def add(a, b):\n    return a * b\n", tests: tests)
        #expect(outcome.verdict == .testsFailed)
        let failed = try #require(outcome.tests.first { $0.name == "test_negative" })
        #expect(failed.outcome == .failed)
        #expect(failed.message == "assert add(-1, -1) == -2")
        #expect(failed.details == ["left:  add(-1, -1) = 1", "right: -2"])
        #expect(failed.location == "test_sol.py:8")
        #expect(outcome.tests.first { $0.name == "test_add" }?.outcome == .passed)
    }

    @Test func exceptionTracebackPointsIntoTheSolution() async throws {
        let outcome = try await Run.python("def add(a, b):\n    return a + b + undefined_name\n", tests: tests)
        let failed = try #require(outcome.tests.first { $0.name == "test_add" })
        #expect(failed.outcome == .error)
        #expect(failed.message == "NameError: name 'undefined_name' is not defined")
        #expect(failed.traceback.last == TraceFrame(file: "sol.py", line: 2, function: "add", code: "return a + b + undefined_name"))
    }

    @Test func syntaxErrorIsABuildFailureWithItsLine() async throws {
        let outcome = try await Run.python("def add(a, b)\n    return a + b\n", tests: tests)
        #expect(outcome.verdict == .buildFailed)
        let diagnostic = try #require(outcome.diagnostics.first)
        #expect(diagnostic.file == "sol.py")
        #expect(diagnostic.line == 1)
        #expect(diagnostic.message.hasPrefix("SyntaxError"))
        #expect(diagnostic.sourceLine == "def add(a, b)")
    }

    @Test func missingNameIsAnImportError() async throws {
        let outcome = try await Run.python("def plus(a, b):\n    return a + b\n", tests: tests)
        #expect(outcome.verdict == .buildFailed)
        #expect(outcome.diagnostics.first?.message.contains("cannot import name 'add'") == true)
    }

    @Test func unittestCasesRun() async throws {
        let unittestTests = """
        import unittest
        from sol import add

        class AddTests(unittest.TestCase):
            def test_add(self):
                self.assertEqual(add(1, 2), 3)

            def test_wrong(self):
                self.assertEqual(add(1, 1), 3)
        """
        let outcome = try await Run.python("def add(a, b):\n    return a + b\n", tests: unittestTests)
        #expect(outcome.verdict == .testsFailed)
        #expect(outcome.tests.map(\.name) == ["AddTests.test_add", "AddTests.test_wrong"])
        #expect(outcome.tests[1].message == "2 != 3")
    }

    @Test func failuresInsideSubTestsCount() async throws {
        let subTests = """
        import unittest
        from sol import add

        class AddTests(unittest.TestCase):
            def test_many(self):
                for a, b, total in [(1, 1, 2), (2, 2, 5)]:
                    with self.subTest(a=a, b=b):
                        self.assertEqual(add(a, b), total)
        """
        let outcome = try await Run.python("def add(a, b):\n    return a + b\n", tests: subTests)
        #expect(outcome.verdict == .testsFailed)
        let failed = try #require(outcome.tests.first)
        #expect(failed.outcome == .failed)
        #expect(failed.message?.contains("4 != 5") == true)
        #expect(failed.details.contains { $0.contains("a=2") && $0.contains("b=2") })
    }

    @Test func parametrizeAndFixturesWork() async throws {
        let parametrized = """
        import pytest
        from sol import add

        @pytest.mark.parametrize("a,b,total", [(1, 2, 3), (2, 2, 5)])
        def test_add(a, b, total):
            assert add(a, b) == total
        """
        let outcome = try await Run.python("def add(a, b):\n    return a + b\n", tests: parametrized)
        #expect(outcome.tests.map(\.outcome) == [.passed, .failed])
        let fixtures = "from sol import add\n\ndef test_tmp(tmp_path):\n    assert add(1, 1) == 2\n"
        let withFixture = try await Run.python("def add(a, b):\n    return a + b\n", tests: fixtures)
        #expect(withFixture.verdict == .passed, "\(Run.output(withFixture))")
        #expect(withFixture.notes.contains { $0.contains("pytest") })
    }

    @Test func infiniteLoopTimesOutNamingTheTest() async throws {
        let outcome = try await Run.python("def add(a, b):\n    while True:\n        pass\n", tests: tests, timeout: 2)
        #expect((outcome.runs.last?.durationSeconds ?? 99) < 4)
        #expect(outcome.verdict == .timedOut)
        #expect(outcome.tests.last?.name == "test_add")
        #expect(outcome.tests.last?.outcome == .timedOut)
        #expect(outcome.runs.last?.limitsHit.first == "timed out after 2 s")
    }

    @Test func exitingEarlyCannotPass() async throws {
        let outcome = try await Run.python("import os\ndef add(a, b):\n    os._exit(0)\n", tests: tests)
        #expect(outcome.verdict == .crashed)
        #expect(!outcome.passed)
    }

    @Test func rewritingTheTestsAtRunTimeDoesNotChangeTheVerdict() async throws {
        let cheat = """
        import os, glob
        for path in glob.glob("test_*.py"):
            with open(path, "w") as handle:
                handle.write("def test_nothing():\\n    pass\\n")
        def add(a, b):
            return 0
        """
        let outcome = try await Run.python(cheat, tests: tests)
        #expect(outcome.verdict == .testsFailed)
    }
}
