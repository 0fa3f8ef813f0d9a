import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox

/// Program mode (benchmarks): the solution's own checks never run in place of the tests.
@Suite("Program mode: the solution's own top-level code")
struct ProgramModeTests {
    /// An example's failing assert says the call, its value and the expected value; the harness's
    /// own statement is not shown (a small model copied `let selfdebugExample1 = ...` into its code).
    @Test func anExamplesAssertIsNotShownAsTheFailingLine() {
        let program = "func f(x: Int) -> Int { x }\n\nlet selfdebugExample1 = f(x: 1)\nassert(selfdebugExample1 == 2, \"example 1 of 1: f(x: 1) returned 1, expected 2\")\nassert(f(x: 3) == 4)\n"
        #expect(ProgramRunner.failingLine("main/main.swift:4: Assertion failed: example 1 of 1: f(x: 1) returned 1, expected 2", program: program) == nil)
        #expect(ProgramRunner.failingLine("main/main.swift:5: Assertion failed", program: program) == "the failing line: assert(f(x: 3) == 4)")
    }

    @Test func swiftTopLevelStatementsAreLeftOutAndDeclarationsStay() {
        let source = """
        import Foundation

        func double(_ x: Int) -> Int {
            if x > 0 { print("positive") }
            return 2 * x
        }
        let limit = 10
        print(double(2))
        assert(double(3) == 6, "three {")
        for value in [1, 2] {
            print(value)
        }
        struct Box { var value: Int }
        """
        let (kept, dropped) = SwiftTopLevel.withoutStatements(source)
        #expect(dropped == ["8", "9", "10-12"])
        // A binding that only runs a check (it calls the file's own function, and nothing uses
        // it) is left out too; one the code uses, or one that calls nothing of the file's, stays.
        let checks = "func double(_ x: Int) -> Int {\n    return 2 * x * scale\n}\nlet scale = 1\nlet result = double(\n    2)\nlet table = [1, 2].map { double($0) }\nvar total = 0\nfunc sum() -> Int { table.reduce(0, +) }\n"
        let (keptChecks, droppedChecks) = SwiftTopLevel.withoutStatements(checks)
        #expect(droppedChecks == ["5-6"], "\(keptChecks)")
        #expect(keptChecks.contains("let table") && keptChecks.contains("let scale = 1") && keptChecks.contains("var total = 0"))
        #expect(!keptChecks.contains("let result"))
        #expect(kept.contains("func double(_ x: Int) -> Int {"))
        #expect(kept.contains("print(\"positive\")"))
        #expect(kept.contains("let limit = 10"))
        #expect(kept.contains("struct Box"))
        #expect(!kept.contains("print(double(2))"))
        #expect(!kept.contains("for value"))
        #expect(kept.components(separatedBy: "\n").count == source.components(separatedBy: "\n").count)
    }

    @Test func pythonChecksTheModelAppendedDoNotRunInPlaceOfTheTests() async throws {
        var task = TaskSpec(language: .python, solutionFiles: ["solution.py"], tests: [:], timeout: 20, body: "x")
        task.programTests = "assert square(3) == 9\n"
        let solution = """
        import math

        def square(x):
            return x * x

        def check(candidate):
            assert candidate(2) == 5  # the model's own wrong check

        check(square)
        if __name__ == "__main__":
            print(square(4))
        """
        let executor = try await TaskExecutor.make(for: .python, sandbox: try BubblewrapSandbox())
        let outcome = try await executor.run(ExecRequest(task: task, files: ["solution.py": solution]))
        #expect(outcome.verdict == .passed, "\(outcome.tests) \(outcome.notes)")
        #expect(outcome.notes.contains { $0.contains("Left out of the run: your file's own top-level code (lines 9, 10-11)") }, "\(outcome.notes)")
    }
}
