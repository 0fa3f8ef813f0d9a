import Foundation

/// The next call could overshoot the run's token or cost budget.
struct BudgetExhausted: Error {
    var reason: String
}

/// The code could not be run at all (not a test failure).
struct LoopExecutorError: Error, CustomStringConvertible {
    var description: String
}

/// What the loop tracks across turns.
struct RunState {
    let task: TaskSpec
    let start: Date
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

    init(task: TaskSpec, start: Date) {
        self.task = task
        self.start = start
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
