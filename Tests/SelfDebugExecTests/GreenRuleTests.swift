import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec

/// `fix`'s green: exit 0 *and* output that shows tests that ran, none failing, no fewer than at the start.
@Suite("When a project's test command is green")
struct GreenRuleTests {
    func run(_ output: String, exit: Int32? = 0, unknown: Bool = false) -> CommandRun {
        var run = CommandRun(phase: "test", command: ["/bin/sh", "-c", "t"], exitStatus: exit, durationSeconds: 1, stdout: CapturedText(text: output))
        if unknown { run.statusUnknown = true }
        return run
    }

    func verdict(_ output: String, exit: Int32? = 0, unknown: Bool = false, baseline: TestTotals? = nil, trust: Bool = false) -> ExecOutcome {
        ProjectExecutor.outcome(run(output, exit: exit, unknown: unknown), workspace: "/w", files: [:], baseline: baseline, trustExitCode: trust, command: "t")
    }

    @Test func exitZeroWithNothingReadableIsNotAPass() {
        let outcome = verdict("")
        #expect(outcome.verdict == .noTests)
        #expect(outcome.notes.contains { $0.contains("exited 0, but its output shows no test results") && $0.contains("--trust-exit-code") })
        #expect(verdict("", trust: true).verdict == .passed)
    }

    @Test func exitZeroWithNoTestsRunOrOnlySkipsIsNotAPass() {
        let skipped = verdict("ss\n2 skipped in 0.01s\n")
        #expect(skipped.verdict == .noTests)
        #expect(skipped.notes.contains { $0.contains("exited 0 but ran no tests (2 skipped)") })
        #expect(verdict("Ran 3 tests in 0.001s\n\nOK (skipped=3)\n").verdict == .noTests)
        #expect(verdict("\t Executed 2 tests, with 2 tests skipped and 0 failures (0 unexpected) in 0.002 (0.002) seconds\n").verdict == .noTests)
    }

    @Test func exitZeroWithTestsThatRanAndPassedIsGreen() {
        #expect(verdict("..\n2 passed in 0.01s\n").verdict == .passed)
        #expect(verdict("Ran 3 tests in 0.001s\n\nOK (skipped=1)\n").verdict == .passed)
        #expect(verdict("\t Executed 4 tests, with 1 test skipped and 0 failures (0 unexpected) in 0.002 (0.002) seconds\n").verdict == .passed)
    }

    @Test func fewerTestsThanTheBaselineRanIsNotGreen() {
        let baseline = TestTotals(passed: 1, failed: 1, skipped: 0)
        let fewer = verdict(".\n1 passed in 0.01s\n", baseline: baseline)
        #expect(fewer.verdict == .testsFailed)
        #expect(fewer.notes.contains { $0.contains("fewer than the 2 that ran at the start") })
        let skippedNow = verdict(".s\n1 passed, 1 skipped in 0.01s\n", baseline: baseline)
        #expect(skippedNow.verdict == .testsFailed)
        #expect(verdict("..\n2 passed in 0.01s\n", baseline: baseline).verdict == .passed)
    }

    @Test func exitZeroThatReportsFailuresOrAnUnknownStatusIsNotGreen() {
        #expect(verdict(".F\n1 failed, 1 passed in 0.01s\n").verdict == .testsFailed)
        let lost = verdict("..\n2 passed in 0.01s\n", exit: nil, unknown: true)
        #expect(lost.verdict == .crashed)
        #expect(lost.notes.contains { $0.contains("unknown status") })
    }
}
