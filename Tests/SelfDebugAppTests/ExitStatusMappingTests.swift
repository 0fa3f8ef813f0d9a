import Foundation
import Testing
import SelfDebugBench
import SelfDebugCore
@testable import SelfDebugApp
@testable import SelfDebugEngineer

/// The one mapping from errors and outcomes to the exit statuses README's "Exit status" documents.
@Suite("Exit statuses of errors and outcomes")
struct ExitStatusMappingTests {
    struct Unknown: Error {}

    static func summary(_ status: RunStatus, _ stopReason: StopReason) -> RunSummary {
        RunSummary(
            status: status, stopReason: stopReason, iterations: 2, llmCalls: 2, promptTokens: 10, completionTokens: 5, wallSeconds: 1,
            execSeconds: 0.5, llmSeconds: 0.5, model: "m", provider: "openai", solutionFiles: ["a.py"], solutionIteration: 1,
            testsPassed: status == .solved ? 3 : 1, testsTotal: 3, verifiedBy: "task_tests")
    }

    static func engineerResult(_ status: String, error: String? = nil) -> EngineerResult {
        EngineerResult(
            status: status, files: [:], tests: .init(passed: 0, failed: 1, skipped: 0, output: ""), iterations: 1,
            usage: .init(promptTokens: 1, completionTokens: 1), runDir: "/runs/r", verifiedBy: "task_tests", error: error)
    }

    static func benchRun(allErrors: Bool) -> BenchStrategyRun {
        BenchStrategyRun(strategy: .debug, report: BenchReport(records: [], turns: 1, wallSeconds: 0), allErrors: allErrors)
    }

    @Test func theStatusesAreTheDocumentedNumbers() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 130])
        #expect(ExitStatus.badInput.rawValue == 2 && ExitStatus.interrupted.rawValue == 130)
    }

    @Test func eachKindOfFailureHasItsStatus() {
        #expect(ExitStatus(.badInput) == .badInput)
        #expect(ExitStatus(.unavailable) == .unavailable)
        #expect(ExitStatus(.interrupted) == .interrupted)
        #expect(ExitStatus(.internalError) == .internalError)
    }

    @Test(arguments: FailureKind.allCases)
    func anAppErrorExitsWithItsKind(kind: FailureKind) {
        #expect(ExitStatus(for: AppError(kind, "what went wrong")) == ExitStatus(kind))
    }

    @Test func errorsFromTheLibrariesMapByWhatTheyAre() {
        #expect(ExitStatus(for: TaskFileError(path: "task.md", line: 3, message: "'language' is required")) == .badInput)
        #expect(ExitStatus(for: RunFolderError(description: "cannot create /nope")) == .badInput)
        #expect(ExitStatus(for: BenchError(description: "line 2 is not JSON")) == .badInput)
        #expect(ExitStatus(for: EngineerError.badRequest("no requirement")) == .badInput)
        #expect(ExitStatus(for: EngineerError.unavailable("bwrap is missing")) == .unavailable)
        #expect(ExitStatus(for: ModelError(.unauthorized, "401")) == .unavailable)
        #expect(ExitStatus(for: ModelError(.cancelled, "cancelled")) == .interrupted)
        #expect(ExitStatus(for: CancellationError()) == .interrupted)
        #expect(ExitStatus(for: Unknown()) == .internalError)
    }

    @Test func aRunExitsWithItsStatusOrTheCauseOfItsError() {
        #expect(ExitStatus(for: Self.summary(.solved, .solved), interrupted: false) == .solved)
        #expect(ExitStatus(for: Self.summary(.unsolved, .maxIterations), interrupted: false) == .unsolved)
        #expect(ExitStatus(for: Self.summary(.unsolved, .budget), interrupted: false) == .unsolved)
        #expect(ExitStatus(for: Self.summary(.error, .modelError), interrupted: false) == .unavailable)
        #expect(ExitStatus(for: Self.summary(.error, .executorError), interrupted: false) == .unavailable)
        #expect(ExitStatus(for: Self.summary(.error, .interrupted), interrupted: false) == .interrupted)
        // An error with no cause that explains it is selfdebug's own.
        #expect(ExitStatus(for: Self.summary(.error, .solved), interrupted: false) == .internalError)
    }

    @Test func anInterruptWinsOverWhatTheRunReached() {
        #expect(ExitStatus(for: Self.summary(.solved, .solved), interrupted: true) == .interrupted)
        #expect(ExitStatus(for: Self.engineerResult("solved"), interrupted: true) == .interrupted)
    }

    @Test func anEngineerResultExitsByItsStatus() {
        #expect(ExitStatus(for: Self.engineerResult("solved"), interrupted: false) == .solved)
        #expect(ExitStatus(for: Self.engineerResult("unsolved"), interrupted: false) == .unsolved)
        #expect(ExitStatus(for: Self.engineerResult("error", error: "model unreachable"), interrupted: false) == .unavailable)
        #expect(ExitStatus(for: Self.engineerResult("error", error: "interrupted"), interrupted: false) == .interrupted)
    }

    @Test func aBenchmarkFailsOnlyWhenNothingEverWorked() {
        #expect(BenchOutcome(runs: [Self.benchRun(allErrors: false)], out: "o", interrupted: false).exitStatus == .solved)
        #expect(BenchOutcome(runs: [Self.benchRun(allErrors: true), Self.benchRun(allErrors: false)], out: "o", interrupted: false).exitStatus == .solved)
        #expect(BenchOutcome(runs: [Self.benchRun(allErrors: true), Self.benchRun(allErrors: true)], out: "o", interrupted: false).exitStatus == .unavailable)
        #expect(BenchOutcome(runs: [Self.benchRun(allErrors: false)], out: "o", interrupted: true).exitStatus == .interrupted)
    }

    @Test func aFixWithNothingToDoIsSolved() {
        #expect(FixOutcome.alreadyPasses.exitStatus == .solved)
    }

    @Test func messagesSayWhatWentWrongAndForOwnFailuresWhatToReport() {
        #expect(ExitStatus.message(for: AppError(.badInput, "--limit must be at least 1")) == "selfdebug: --limit must be at least 1")
        #expect(ExitStatus.message(for: BenchError(description: "data.jsonl:2: not JSON")) == "selfdebug: data.jsonl:2: not JSON")
        let own = ExitStatus.message(for: Unknown(), runFolder: "/runs/r1")
        #expect(own.hasPrefix("selfdebug failed internally: Unknown()"))
        #expect(own.contains("Please report this with the run folder /runs/r1 and the command you ran ("))
        // Already an internal failure: printed as it is, not prefixed again.
        let failure = AppError.internalFailure(Unknown(), commandLine: ["selfdebug", "solve", "t.md"])
        #expect(ExitStatus.message(for: failure) == failure.description)
    }

    @Test func anInternalFailureQuotesTheCommandSoItCanBeRunAgain() {
        let failure = AppError.internalFailure(Unknown(), runFolder: nil, commandLine: ["selfdebug", "fix", ".", "--test", "python3 -m pytest -q"])
        #expect(failure.kind == .internalError)
        #expect(failure.description == "selfdebug failed internally: Unknown(). Please report this and the command you ran (selfdebug fix . --test 'python3 -m pytest -q').")
    }
}
