import Testing
@testable import SelfDebugCore

@Suite("Feedback")
struct FeedbackBuilderTests {
    let task = TaskSpec(language: .python, solutionFiles: ["stats.py"], tests: ["test_stats.py": ""], timeout: 5, body: "x")

    @Test func failedAssertionShowsBothSidesAndTheTraceback() {
        let outcome = ExecOutcome(verdict: .testsFailed, tests: [
            TestCaseResult(name: "test_ok", outcome: .passed),
            TestCaseResult(
                name: "test_median", outcome: .failed, location: "test_stats.py:9", message: "assert median([1, 2]) == 1.5",
                details: ["left:  median([1, 2]) = 2", "right: 1.5"],
                traceback: [TraceFrame(file: "test_stats.py", line: 9, function: "test_median", code: "assert median([1, 2]) == 1.5")]),
        ])
        let text = FeedbackBuilder().feedback(for: outcome, task: task)
        #expect(text.hasPrefix("1 of 2 tests failed."))
        #expect(text.contains("FAILED test_median (test_stats.py:9)"))
        #expect(text.contains("left:  median([1, 2]) = 2"))
        #expect(text.contains("right: 1.5"))
        #expect(text.contains("test_stats.py:9 in test_median"))
        #expect(!text.contains("test_ok"))
    }

    @Test func unquotedFilesAreNamedInTheTracebackButNotQuoted() {
        let outcome = ExecOutcome(verdict: .testsFailed, tests: [
            TestCaseResult(name: "examples", outcome: .error, message: "TypeError: sequence item 0: expected str instance, list found", traceback: [
                TraceFrame(file: "tests", line: 31, function: "examples", code: "check(\"anti_shuffle('Hi')\", \"'Hi'\")"),
                TraceFrame(file: "stats.py", line: 14, function: "anti_shuffle", code: "return ' '.join(sorted(word) for word in s.split())"),
            ]),
        ])
        let quoted = FeedbackBuilder().feedback(for: outcome, task: task)
        #expect(quoted.contains("stats.py:14 in anti_shuffle\n      return ' '.join(sorted(word) for word in s.split())"))
        let unquoted = FeedbackBuilder(unquotedFiles: ["stats.py"]).feedback(for: outcome, task: task)
        #expect(unquoted.contains("TypeError: sequence item 0: expected str instance, list found"))
        #expect(unquoted.contains("stats.py:14 in anti_shuffle"))
        #expect(!unquoted.contains("sorted(word)"))
        // The test's own line, the failing call, is still quoted.
        #expect(unquoted.contains("tests:31 in examples\n      check(\"anti_shuffle('Hi')\", \"'Hi'\")"))
    }

    @Test func compilerErrorsComeWithTheLineAndACaret() {
        let outcome = ExecOutcome(verdict: .buildFailed, diagnostics: [
            Diagnostic(file: "Stats.swift", line: 2, column: 12, severity: "error", message: "cannot convert", sourceLine: "    return x / n", notes: ["Stats.swift:1: here"]),
            Diagnostic(file: "Stats.swift", line: 2, column: 12, severity: "error", message: "cannot convert", sourceLine: "    return x / n"),
        ])
        let swiftTask = TaskSpec(language: .swift, solutionFiles: ["Stats.swift"], tests: [:], body: "x")
        let text = FeedbackBuilder().feedback(for: outcome, task: swiftTask)
        #expect(text.contains("did not compile (2 errors)"))
        #expect(text.contains("Stats.swift:2:12: error: cannot convert\n        return x / n\n               ^"))
        #expect(text.contains("note: Stats.swift:1: here"))
        #expect(text.components(separatedBy: "error: cannot convert").count == 2)  // deduplicated
    }

    @Test func timeoutIsSaidAsSuch() {
        let run = CommandRun(phase: "test", command: ["python3"], exitStatus: nil, signal: 9, timedOut: true, durationSeconds: 5, limitsHit: ["timed out after 5 s"])
        let outcome = ExecOutcome(verdict: .timedOut, runs: [run], tests: [
            TestCaseResult(name: "test_loop", outcome: .timedOut, message: "this test was running when the time ran out"),
        ])
        let text = FeedbackBuilder().feedback(for: outcome, task: task)
        #expect(text.contains("timed out after 5 s"))
        #expect(text.contains("TIMED OUT test_loop"))
        #expect(text.contains("infinite loop"))
    }

    @Test func budgetCutsLaterItemsAndSaysSo() {
        let tests = (0..<50).map { index in
            TestCaseResult(name: "test_\(index)", outcome: .failed, message: String(repeating: "x", count: 300))
        }
        let text = FeedbackBuilder(budget: 2000).feedback(for: ExecOutcome(verdict: .testsFailed, tests: tests), task: task)
        #expect(text.count <= 2100)
        #expect(text.contains("FAILED test_0"))
        #expect(text.contains("more items not shown"))
    }

    @Test func rawOutputTailWhenNothingParsed() {
        let run = CommandRun(phase: "test", command: ["/x/run-tests"], exitStatus: 1, durationSeconds: 1,
                             stdout: CapturedText(text: "head\n[... output cut ...]\ntail", totalBytes: 50_000_000, truncated: true, keptHeadBytes: 16384, keptTailBytes: 16384))
        let text = FeedbackBuilder().feedback(for: ExecOutcome(verdict: .noTests, runs: [run]), task: task)
        #expect(text.contains("No test ran"))
        #expect(text.contains("output cut: 50 MB in all"))
        #expect(text.contains("tail"))
    }
}
