import Foundation

/// The next call could overshoot the run's token or cost budget.
struct BudgetExhausted: Error {
    var reason: String
}

/// The code could not be run at all (not a test failure).
struct LoopExecutorError: Error, CustomStringConvertible {
    var description: String
}

/// What the loop tracks across turns: the conversation and the current files, what stuck
/// detection needs, and the totals and best version the summary reports.
struct RunState {
    /// The task as given.
    let task: TaskSpec
    let start: Date

    // The conversation and the code.
    /// The current turn (1-based); a turn given back (a free read, a re-ask) is counted again.
    var iteration = 0
    /// What the model is sent next.
    var messages: [ChatMessage] = []
    /// The system message and the task as the current attempt began (rewrite repairs start from it).
    var base: [ChatMessage] = []
    /// The run's first request (system message and task): every fresh sample asks it again.
    var opening: [ChatMessage] = []
    /// The current version's files.
    var files: [String: String]
    /// The task as it runs: with the agent's own tests once it has written them.
    var runTask: TaskSpec
    /// The versions that ran and how they failed, and the fresh attempts so far.
    var history = IterationHistory()
    /// Re-asks after a repeated version left in this run.
    var repeatsLeft: Int
    /// Raises the temperature of a re-ask after a repeated version.
    var nudge = 0.0
    /// The next request is a fresh sample of the task (at the resample temperature).
    var freshSample = false
    /// The last request asked for a repair: the version that runs next answers a failure.
    var askedForRepair = false
    /// Repairs asked for so far (a `repair-once` run asks for one).
    var repairsAsked = 0
    /// How the run's versions failed, as the model was told (the `fresh` conversation shows the
    /// latest of them with the task).
    var failureReports: [String] = []
    /// The latest report reads exactly as the one before it: the model keeps writing a version
    /// that fails the same way.
    var latestFailureRepeated: Bool { failureReports.count > 1 && failureReports.last == failureReports.dropLast().last }
    /// Replies that only ask to read files and do not count as a turn, left in this run.
    var freeReads: Int

    // The totals and the outcome.
    var iterations = 0
    var llmCalls = 0
    var promptTokens = 0
    var completionTokens = 0
    var llmSeconds = 0.0
    var execSeconds = 0.0
    var stop: StopReason?
    var error: String?
    var lastOutcome: ExecOutcome?
    var bestOutcome: ExecOutcome?
    var bestFiles: [String: String] = [:]
    var bestIteration = 0

    init(task: TaskSpec, start: Date, repeatRetries: Int, freeReads: Int) {
        self.task = task
        self.start = start
        files = task.startingFiles
        runTask = task
        repeatsLeft = repeatRetries
        self.freeReads = freeReads
    }

    /// Keeps `files` as the solution when they pass at least as many tests as the best so far.
    mutating func consider(_ outcome: ExecOutcome, files: [String: String], iteration: Int) {
        lastOutcome = outcome
        let score = outcome.passed ? Int.max : outcome.passedCount
        let best = bestOutcome.map { $0.passed ? Int.max : $0.passedCount } ?? -1
        if score >= best {
            bestOutcome = outcome
            bestFiles = files
            bestIteration = iteration
        }
    }
}
