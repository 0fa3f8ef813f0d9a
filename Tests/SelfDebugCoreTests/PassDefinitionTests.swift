import Foundation
import Testing
@testable import SelfDebugCore
import TestSupport

/// The one definition of a pass, and the states that are never one.
@Suite("What a pass is")
struct PassDefinitionTests {
    func test(_ name: String, _ outcome: TestOutcome) -> TestCaseResult { TestCaseResult(name: name, outcome: outcome) }

    @Test func everyTestThatRanMustPassAndOneMustHaveRun() {
        #expect(Verdict.judging([test("a", .passed), test("b", .passed)]) == .passed)
        #expect(Verdict.judging([test("a", .passed), test("b", .skipped)]) == .passed)
        #expect(Verdict.judging([test("a", .skipped), test("b", .skipped)]) == .noTests)
        #expect(Verdict.judging([]) == .noTests)
        #expect(Verdict.judging([test("a", .passed), test("b", .error)]) == .testsFailed)
        #expect(Verdict.judging([test("a", .skipped), test("b", .crashed)]) == .testsFailed)
        var flaky = test("b", .failed)
        flaky.flaky = true
        #expect(Verdict.judging([test("a", .passed), flaky]) == .passed)
    }

    @Test func aSkipIsNeverCountedAsPassed() {
        var outcome = ExecOutcome(verdict: .noTests, tests: [test("a", .skipped), test("b", .skipped), test("c", .passed)])
        #expect(outcome.passedCount == 1)
        #expect(outcome.skippedCount == 2)
        #expect(outcome.failedCount == 0)
        outcome.totals = TestTotals(passed: 0, failed: 0, skipped: 5)
        #expect(outcome.passedCount == 0)
        #expect(outcome.testCount == 5)
    }

    @Test func anUnknownStatusOrAnInterruptionIsNeverASuccess() {
        var run = CommandRun(phase: "test", command: ["x"], exitStatus: 0, durationSeconds: 1)
        #expect(run.succeeded)
        run.statusUnknown = true
        #expect(!run.succeeded)
        #expect(run.endedHow.contains("unknown status"))
        run.statusUnknown = nil
        run.interrupted = true
        #expect(!run.succeeded)
    }

    @Test func skipsFromTheSolutionAreFailuresAndTheSolutionNamingTheSkipAPIForfeitsSkips() {
        let task = TaskSpec(language: .swift, solutionFiles: ["Sol.swift"], tests: ["SolTests.swift": ""], body: "")
        let outcome = ExecOutcome(verdict: .passed, tests: [
            test("SolTests.testA", .passed),
            TestCaseResult(name: "SolTests.testB", outcome: .skipped, location: "Sol.swift:3", message: "too big"),
            TestCaseResult(name: "SolTests.testC", outcome: .skipped, location: "SolTests.swift:9", message: "decided by the test"),
        ])
        let honest = SkipAttribution.apply(to: outcome, task: task, files: ["Sol.swift": "func f() {}"])
        #expect(honest.verdict == .testsFailed)
        #expect(honest.tests[1].outcome == .error)
        #expect(honest.tests[1].message?.contains("the code under test raised a skip at Sol.swift:3") == true)
        #expect(honest.tests[2].outcome == .skipped)
        let naming = SkipAttribution.apply(to: outcome, task: task, files: ["Sol.swift": "import XCTest\nlet s = XCTSkip(\"x\")"])
        #expect(naming.tests[2].outcome == .error)
        #expect(naming.tests[2].message?.contains("uses XCTSkip") == true)
        // Never more lenient: a failing run stays failing.
        let failing = ExecOutcome(verdict: .testsFailed, tests: [test("a", .failed), test("b", .skipped)])
        #expect(SkipAttribution.apply(to: failing, task: task, files: [:]).verdict == .testsFailed)
    }

    @Test func ctrlCWhileTheCodeRunsIsRecordedAsAnInterruptionNotACrash() async throws {
        let task = TaskSpec(language: .python, solutionFiles: ["stats.py"], tests: ["test_stats.py": "x"], timeout: 5, maxIterations: 3, body: "Write f.")
        let executor = ScriptedExecutor { _ in
            var run = CommandRun(phase: "test", command: ["python3"], exitStatus: nil, signal: 9, durationSeconds: 0.5)
            run.interrupted = true
            return ExecOutcome(verdict: .crashed, runs: [run])
        }
        let recorder = MemoryRecorder()
        let model = ScriptedModel(replies: ["```python\ndef f():\n    return 1\n```"])
        let loop = EngineerLoop(task: task, configuration: .init(model: "m", maxIterations: 3), model: model, executor: executor, recorder: recorder, clock: ManualClock())
        let result = try await loop.run()
        #expect(result.summary.status == .error)
        #expect(result.summary.stopReason == .interrupted)
        let exec = try #require(recorder.events.last { $0.type == "exec" })
        #expect(exec.exec?.verdict == .interrupted)
        #expect(exec.exec?.interrupted == true)
        #expect(model.requests.count == 1)
    }

    @Test func feedbackSaysWhichTestsWereSkippedAndWhy() {
        let task = TaskSpec(language: .python, solutionFiles: ["a.py"], tests: [:], body: "")
        let outcome = ExecOutcome(verdict: .testsFailed, tests: [
            TestCaseResult(name: "test_a", outcome: .failed, message: "assert 1 == 2"),
            TestCaseResult(name: "test_b", outcome: .skipped, message: "needs network"),
        ])
        let text = FeedbackBuilder().feedback(for: outcome, task: task)
        #expect(text.hasPrefix("1 of 2 tests failed (1 skipped: a skipped test is not a passed one)."))
        #expect(text.contains("SKIPPED test_b: needs network"))
    }
}
