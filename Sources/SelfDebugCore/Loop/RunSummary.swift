import Foundation

/// How a run ended, as `summary.json` says it.
public enum RunStatus: String, Codable, Sendable {
    /// The tests pass.
    case solved
    /// The budget was spent without passing tests.
    case unsolved
    /// The model or the sandbox failed, or the run was interrupted.
    case error
}

/// Why a run stopped.
public enum StopReason: String, Codable, Sendable {
    /// The tests passed.
    case solved
    /// Every allowed model turn was used.
    case maxIterations = "max_iterations"
    /// The model could not be reached or refused the request.
    case modelError = "model_error"
    /// The code could not be run (sandbox or toolchain missing).
    case executorError = "executor_error"
    /// The user interrupted the run.
    case interrupted
    /// The next call could have overshot the token or cost budget.
    case budget
}

/// The run's totals, written as `summary.json`.
public struct RunSummary: Codable, Sendable, Equatable {
    /// `solved`, `unsolved` or `error`.
    public var status: RunStatus
    /// Why the run stopped.
    public var stopReason: StopReason
    /// Model turns taken.
    public var iterations: Int
    /// Model calls made.
    public var llmCalls: Int
    /// Prompt tokens in all.
    public var promptTokens: Int
    /// Completion tokens in all.
    public var completionTokens: Int
    /// Seconds from start to end.
    public var wallSeconds: Double
    /// Seconds spent running code and tests.
    public var execSeconds: Double
    /// Seconds spent waiting for the model.
    public var llmSeconds: Double
    /// The model's name.
    public var model: String
    /// The provider.
    public var provider: String
    /// The solution files written to `solution/`.
    public var solutionFiles: [String]
    /// The iteration whose code is in `solution/` (0 when none ran).
    public var solutionIteration: Int
    /// Tests passing in that version, and in all.
    public var testsPassed: Int
    /// Tests in all.
    public var testsTotal: Int
    /// Tests of that version the tests themselves skipped (counted in the total, never as passed).
    public var testsSkipped: Int?
    /// `task_tests`, or `agent_tests` when the task had none and the agent wrote its own.
    public var verifiedBy: String
    /// The error, when the status is `error` (or why the budget stopped the run).
    public var error: String?
    /// What the run cost in US dollars, when the model's price is known.
    public var costUSD: Double?

    // Listed so that `costUSD` reads back: written with snake_case keys it is `cost_usd`, which
    // snake_case decoding turns into `costUsd`, not `costUSD` (a run_end event's totals).
    enum CodingKeys: String, CodingKey {
        case status, stopReason, iterations, llmCalls, promptTokens, completionTokens, wallSeconds, execSeconds, llmSeconds
        case model, provider, solutionFiles, solutionIteration, testsPassed, testsTotal, testsSkipped, verifiedBy, error
        case costUSD = "costUsd"
    }

    /// Creates a summary.
    public init(
        status: RunStatus, stopReason: StopReason, iterations: Int, llmCalls: Int, promptTokens: Int, completionTokens: Int,
        wallSeconds: Double, execSeconds: Double, llmSeconds: Double, model: String, provider: String, solutionFiles: [String],
        solutionIteration: Int, testsPassed: Int, testsTotal: Int, verifiedBy: String, error: String? = nil, costUSD: Double? = nil
    ) {
        self.status = status
        self.stopReason = stopReason
        self.iterations = iterations
        self.llmCalls = llmCalls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.wallSeconds = wallSeconds
        self.execSeconds = execSeconds
        self.llmSeconds = llmSeconds
        self.model = model
        self.provider = provider
        self.solutionFiles = solutionFiles
        self.solutionIteration = solutionIteration
        self.testsPassed = testsPassed
        self.testsTotal = testsTotal
        self.verifiedBy = verifiedBy
        self.error = error
        self.costUSD = costUSD
    }
}

/// What a finished run hands back.
public struct RunResult: Sendable {
    /// The totals.
    public var summary: RunSummary
    /// The files of the version kept as the solution (the passing one, else the one passing most tests).
    public var files: [String: String]
    /// Tests the agent wrote itself, when the task had none.
    public var agentTests: [String: String]
    /// The outcome of the kept version, when one ran.
    public var outcome: ExecOutcome?
}

/// A moment of a run, for a status line.
public struct ProgressUpdate: Sendable, Equatable {
    /// What the run is doing.
    public enum Phase: String, Sendable {
        case asking = "asking the model"
        case running = "running the tests"
        case result = "result"
        case retrying = "retrying"
        case done = "done"
    }
    /// The model turn.
    public var iteration: Int
    /// The turn limit.
    public var maxIterations: Int
    /// What is happening.
    public var phase: Phase
    /// Tests passing in the latest run, and in all.
    public var testsPassed: Int?
    /// Tests in all in the latest run.
    public var testsTotal: Int?
    /// Tokens so far.
    public var tokens: Int
    /// A short remark ("2 of 5 tests failed").
    public var message: String?
}

/// Where progress goes (a terminal status line, plain log lines, nowhere).
public protocol ProgressSink: Sendable {
    /// Shows one update.
    func update(_ progress: ProgressUpdate)
}

/// Shows nothing.
public struct SilentProgress: ProgressSink {
    /// Creates the sink.
    public init() {}
    /// Does nothing.
    public func update(_ progress: ProgressUpdate) {}
}

/// How the loop spends its model calls after a failure.
public enum LoopStrategy: String, Codable, Sendable, CaseIterable {
    /// Show the model what failed and ask for a repair (Self-Debug).
    case debug
    /// Ask again from the task alone, at a higher temperature: the baseline the loop must beat.
    case resample
    /// Debug, but a repair that fails is followed by a fresh sample of the task (at the resample
    /// temperature), which may then be repaired once: repairs and fresh samples alternate. A small
    /// model's second repair of its own repair rarely finds what the first missed, and a fresh
    /// sample is an independent draw (Olausson et al., 2023: at equal budget, more first samples
    /// and fewer repairs of each did better).
    case alternate
    /// Debug once: the run's first failure that shows something to repair from is repaired (once),
    /// and every later failure, the repair's included, is followed by a fresh sample ("sample many,
    /// repair few"). Measured on HumanEval with the 1.5B: no better than resampling (README, Benchmarks).
    case repairOnce = "repair-once"
}

/// What the model sees of earlier turns.
public enum ConversationStyle: String, Codable, Sendable, CaseIterable {
    /// The whole conversation (shortened only to fit the context).
    case full
    /// The task, the latest answer and the latest failure: small models lose the thread in long
    /// conversations, and the shared start (system and task) stays cached by the server.
    case short
    /// Every repair is a new request: the task, then the failing code and its failure inside the
    /// user's message, asking for a corrected version. Small models send back, word for word, an
    /// answer they see as their own earlier turn; shown as someone's attempt, they change it.
    case rewrite
    /// Every repair is a fresh answer to the task, at the resample temperature unless a repair
    /// temperature is set: the request holds the task and how the run's latest attempts failed
    /// (their failures, not their code). A small model shown its failing code keeps its approach
    /// and patches around it; a fresh sample is an independent draw (what makes resampling
    /// strong), and the failures tell it what the draw must avoid.
    case fresh

    /// The conversation a task gets when none is asked for: `fresh` for a benchmark problem (one
    /// function judged by its examples or hidden tests, where it was measured: README,
    /// Benchmarks), `rewrite` for a task with test files and for a project, where the model's
    /// files are its work so far and a fresh answer would throw them away, and whenever the
    /// feedback explains or traces the failing code, which a fresh repair does not show.
    public static func `default`(for task: TaskSpec, feedback: FeedbackMode) -> ConversationStyle {
        if case .program = task.verification, feedback == .tests || feedback == .simple { return .fresh }
        return .rewrite
    }
}
