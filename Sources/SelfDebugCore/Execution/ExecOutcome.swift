import Foundation

/// A compiler or interpreter message tied to a place in the code.
public struct Diagnostic: Codable, Sendable, Equatable {
    /// The file, relative to the workspace.
    public var file: String
    /// 1-based line.
    public var line: Int?
    /// 1-based column.
    public var column: Int?
    /// `error`, `warning` or `note`.
    public var severity: String
    /// The message.
    public var message: String
    /// The offending source line, when known.
    public var sourceLine: String?
    /// Notes attached to it.
    public var notes: [String]

    /// Creates a diagnostic.
    public init(file: String, line: Int?, column: Int?, severity: String, message: String, sourceLine: String? = nil, notes: [String] = []) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.sourceLine = sourceLine
        self.notes = notes
    }

    /// `file:line:col: severity: message`.
    public var location: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }
}

/// One frame of a traceback.
public struct TraceFrame: Codable, Sendable, Equatable {
    /// File, relative to the workspace when inside it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// The function.
    public var function: String
    /// The source line.
    public var code: String?

    /// Creates a frame.
    public init(file: String, line: Int, function: String, code: String? = nil) {
        self.file = file
        self.line = line
        self.function = function
        self.code = code
    }
}

/// The outcome of one test.
public enum TestOutcome: String, Codable, Sendable {
    /// It passed.
    case passed
    /// An assertion failed.
    case failed
    /// It raised an unexpected error.
    case error
    /// It was skipped.
    case skipped
    /// The process crashed while it ran.
    case crashed
    /// It was running when the time ran out.
    case timedOut = "timed_out"
}

/// One test's result.
public struct TestCaseResult: Codable, Sendable, Equatable {
    /// The test's name (`test_mean`, `StatsTests.testMean`).
    public var name: String
    /// Its outcome.
    public var outcome: TestOutcome
    /// Where it failed, `file:line`, when known.
    public var location: String?
    /// The failure message (assertion text, exception).
    public var message: String?
    /// Values of the assertion's sides and other details, one per line.
    public var details: [String]
    /// Traceback frames inside the workspace, innermost last.
    public var traceback: [TraceFrame]
    /// What the test printed, cut short.
    public var output: String?
    /// It failed, then passed when run again: not counted against the code.
    public var flaky: Bool?

    /// Creates a result.
    public init(name: String, outcome: TestOutcome, location: String? = nil, message: String? = nil, details: [String] = [], traceback: [TraceFrame] = [], output: String? = nil) {
        self.name = name
        self.outcome = outcome
        self.location = location
        self.message = message
        self.details = details
        self.traceback = traceback
        self.output = output
    }

    /// Whether it counts as a pass (a flaky failure does; a skip never does).
    public var passed: Bool { outcome == .passed || flaky == true }

    /// Whether it failed: did not pass and was not skipped by the tests themselves.
    public var failedToPass: Bool { !passed && outcome != .skipped }
}

/// Test counts a test command reported (when its output names only the failures).
public struct TestTotals: Codable, Sendable, Equatable {
    /// Tests that passed.
    public var passed: Int
    /// Tests that failed or errored.
    public var failed: Int
    /// Tests skipped.
    public var skipped: Int

    /// Creates totals.
    public init(passed: Int, failed: Int, skipped: Int) {
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
    }
}

/// The verdict on one code version.
public enum Verdict: String, Codable, Sendable {
    /// Every test passed.
    case passed
    /// It built, and some test failed.
    case testsFailed = "tests_failed"
    /// It did not build (syntax, compile or import error).
    case buildFailed = "build_failed"
    /// The time limit was hit.
    case timedOut = "timed_out"
    /// The test process crashed.
    case crashed
    /// No test ran to its end (none collected, or every one skipped).
    case noTests = "no_tests"
    /// The user interrupted selfdebug while the code ran: says nothing about the code.
    case interrupted

    /// The one definition of a pass, for every runner: every test that the tests did not skip
    /// themselves ran to its end and passed, and at least one test passed. Skips are decided by
    /// the test framework as the pristine tests use it (a skip raised from the code under test is
    /// reported as a failure by the runner, never as a skip).
    public static func judging(_ tests: [TestCaseResult]) -> Verdict {
        if tests.contains(where: \.failedToPass) { return .testsFailed }
        return tests.contains(where: \.passed) ? .passed : .noTests
    }
}

/// What running one code version and its tests produced.
public struct ExecOutcome: Codable, Sendable, Equatable {
    /// The verdict, always from the pristine tests.
    public var verdict: Verdict
    /// Each process that ran, in order.
    public var runs: [CommandRun]
    /// Parsed compiler and interpreter diagnostics.
    public var diagnostics: [Diagnostic]
    /// Per-test results.
    public var tests: [TestCaseResult]
    /// Other things worth telling the model (tests it tried to change, limits hit...).
    public var notes: [String]
    /// An execution trace, when one was asked for.
    public var trace: String?
    /// Counts the test command reported, when its per-test results are incomplete.
    public var totals: TestTotals?
    /// Project files the output named (tracebacks, failures, diagnostics), in order.
    public var referencedFiles: [String]?
    /// Benchmarks in honest mode: the verdict of the hidden tests, which judge this version but
    /// are never shown to the model (the rest of this outcome is the visible tests').
    public var judgedVerdict: Verdict?
    /// Benchmarks in honest mode, a problem without examples: the failure's details are withheld
    /// (the model can only be told that the hidden tests did not pass), so there is nothing to repair from.
    public var detailsWithheld: Bool?

    /// Creates an outcome.
    public init(verdict: Verdict, runs: [CommandRun] = [], diagnostics: [Diagnostic] = [], tests: [TestCaseResult] = [], notes: [String] = []) {
        self.verdict = verdict
        self.runs = runs
        self.diagnostics = diagnostics
        self.tests = tests
        self.notes = notes
    }

    /// Whether the code passed.
    public var passed: Bool { verdict == .passed }
    /// Tests that passed (as the command reported, when it did). Skipped tests are not among them.
    public var passedCount: Int { totals.map(\.passed) ?? tests.filter(\.passed).count }
    /// Tests that failed (ran and did not pass).
    public var failedCount: Int { totals?.failed ?? tests.filter(\.failedToPass).count }
    /// Tests the tests themselves skipped.
    public var skippedCount: Int { totals?.skipped ?? tests.filter { $0.outcome == .skipped && $0.flaky != true }.count }
    /// Tests in all.
    public var testCount: Int { totals.map { $0.passed + $0.failed + $0.skipped } ?? tests.count }
    /// Seconds spent in processes.
    public var durationSeconds: Double { runs.reduce(0) { $0 + $1.durationSeconds } }
}

/// One code version to run: the files the agent wrote, and the task's tests.
public struct ExecRequest: Sendable {
    /// The task (language, tests, module, timeout).
    public var task: TaskSpec
    /// The agent's files by relative path.
    public var files: [String: String]

    /// Creates a request.
    public init(task: TaskSpec, files: [String: String]) {
        self.task = task
        self.files = files
    }
}

/// The seam to execution: runs one code version with the task's pristine tests.
///
/// Implementations: the process-based runners of `SelfDebugExec`, and ``ScriptedExecutor`` for tests.
public protocol Executor: Sendable {
    /// What is enforced (sandbox mode and limits), for the record.
    var description: String { get }
    /// Runs the files against the task's tests.
    func run(_ request: ExecRequest) async throws -> ExecOutcome
    /// Runs one failing test under a tracer and describes, block by block, the values the
    /// solution's variables took; nil when the language or executor cannot trace.
    func trace(_ request: ExecRequest, test: String) async throws -> String?
}

extension Executor {
    /// No tracing.
    public func trace(_ request: ExecRequest, test: String) async throws -> String? { nil }
}
