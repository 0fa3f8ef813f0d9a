import Foundation
import SelfDebugCore

/// Which tests the model is shown failures of in a benchmark.
public enum FeedbackTests: String, Codable, Sendable, CaseIterable {
    /// Honest (the default): failures of the examples in the prompt; the hidden tests only judge.
    case visible
    /// Oracle: failures of the hidden tests themselves (what published numbers do not use).
    case hidden
}

/// Honest benchmark execution: each version runs against the visible tests (their outcome is
/// what the loop sees and feeds back), then against the hidden tests, whose verdict is attached
/// as ``ExecOutcome/judgedVerdict`` and never shown. A problem without visible examples gets, as
/// feedback, only that the hidden tests failed (and build errors, which a user's compiler shows).
public struct JudgedExecutor: Executor {
    let inner: any Executor
    /// The hidden tests, as program tests.
    let hiddenTests: String
    /// Whether the task's program tests are visible examples (else there are none to show).
    let hasExamples: Bool

    /// Wraps `inner` for a problem whose hidden tests are `hiddenTests`.
    public init(inner: any Executor, hiddenTests: String, hasExamples: Bool) {
        self.inner = inner
        self.hiddenTests = hiddenTests
        self.hasExamples = hasExamples
    }

    /// The inner executor's, with the judge said.
    public var description: String { inner.description + "; feedback from the task's examples, judged by hidden tests" }

    /// Runs the visible tests (when there are examples), then the hidden ones.
    public func run(_ request: ExecRequest) async throws -> ExecOutcome {
        var hiddenTask = request.task
        hiddenTask.programTests = hiddenTests
        hiddenTask.programTestsAreExamples = nil
        let hidden = try await inner.run(ExecRequest(task: hiddenTask, files: request.files))
        var visible: ExecOutcome?
        if hasExamples {
            let outcome = try await inner.run(request)
            // Examples that are all prose (none could run) are no examples.
            if !outcome.tests.contains(where: { $0.message?.contains(VisibleTests.noExampleRan) == true }) { visible = outcome }
        }
        guard var visible else {
            var shown = hidden
            if hidden.verdict == .buildFailed {
                shown = Self.withoutHiddenSource(hidden)
            } else if hidden.verdict != .passed {
                // Nothing of the hidden tests' content: only that they did not pass, and how.
                shown.tests = [TestCaseResult(name: "hidden tests", outcome: hidden.verdict == .timedOut ? .timedOut : .failed,
                                              message: "the hidden tests did not pass (\(hidden.verdict.rawValue)); this problem has no examples to show")]
                shown.runs = Self.quieted(hidden.runs)
                shown.diagnostics = []
                shown.notes = shown.notes.filter { $0.hasPrefix("Limit hit") }
                shown.verdict = .testsFailed
                shown.detailsWithheld = true
            }
            shown.judgedVerdict = hidden.verdict
            return shown
        }
        // The hidden run's output is never attached: feedback reads the runs' output.
        visible.judgedVerdict = hidden.verdict
        return visible
    }

    /// A build of the code with the hidden tests that failed, as a user could see it: the errors
    /// in the code itself with their lines, and of the errors in the tests (a call with the wrong
    /// labels or types) only how many there were, never their source (it holds the hidden cases).
    static func withoutHiddenSource(_ hidden: ExecOutcome) -> ExecOutcome {
        var shown = hidden
        let inTests = hidden.diagnostics.filter { $0.file == "tests" && $0.severity == "error" }.count
        shown.diagnostics = hidden.diagnostics.filter { $0.file != "tests" }
        if inTests > 0 {
            shown.diagnostics.append(Diagnostic(
                file: "tests", line: nil, column: nil, severity: "error",
                message: "the hidden tests do not compile against this code (\(inTests) error\(inTests == 1 ? "" : "s") in them, not shown): "
                    + "keep the function's name, its parameter labels and types, and its return type exactly as the task gives them"))
        }
        // The raw compiler output quotes the tests' lines: the parsed diagnostics above say the rest.
        shown.runs = quieted(hidden.runs)
        return shown
    }

    /// The hidden runs without their output (feedback reads the runs' output, which would show the tests).
    static func quieted(_ runs: [CommandRun]) -> [CommandRun] {
        runs.map { run in
            var quiet = run
            quiet.stdout = .empty
            quiet.stderr = .empty
            return quiet
        }
    }
}
