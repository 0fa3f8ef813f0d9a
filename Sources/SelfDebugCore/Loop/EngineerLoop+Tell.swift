import Foundation

/// After a failed run: tell the model what happened, take a fresh sample (resample), or start a
/// fresh attempt when the model is stuck; and how what it is told shapes the conversation.
extension EngineerLoop {
    /// What follows a failed run.
    enum NextMove {
        /// Tell the model what happened (the debugging strategy).
        case tell
        /// A fresh sample of the task, no feedback (the resample baseline); `reason` says why a
        /// debugging run takes one (nil for the baseline).
        case resample(reason: String?)
        /// The same failure again: start a fresh attempt.
        case restart(reason: String)
    }

    /// Remembers the failed version and says what follows it.
    func afterFailure(_ outcome: ExecOutcome, _ state: inout RunState) -> NextMove {
        let repeated = state.history.repeatsLastFailure(outcome)
        state.history.append(state.files, outcome: outcome, iteration: state.iteration)
        let repaired = state.askedForRepair  // this version answered a repair request
        state.askedForRepair = false
        if configuration.strategy == .resample { return .resample(reason: nil) }
        if configuration.resampleWhenBlind, outcome.detailsWithheld == true { return .resample(reason: Prompts.blindFailure) }
        if configuration.strategy == .alternate, repaired { return .resample(reason: Prompts.failedRepair) }
        if repairSpent(state) { return .resample(reason: Prompts.repairSpent) }
        // (Alternate: a fresh sample failing as the last version did is repaired, not restarted.)
        // (Fresh: every repair is already a fresh answer; a restart would only lose the failures.)
        if configuration.restartWhenStuck, repeated, configuration.strategy == .debug, !freshRepairs(state) { return .restart(reason: Prompts.StuckReason.sameFailure) }
        return .tell
    }

    /// Repair-once: whether the run's one repair has been asked for (every later failure is
    /// followed by a blind sample).
    func repairSpent(_ state: RunState) -> Bool {
        configuration.strategy == .repairOnce && state.repairsAsked > 0
    }

    /// Tells the model what happened when its version ran.
    func tell(_ ran: Ran, _ state: inout RunState) async throws {
        let request = ExecRequest(task: state.runTask, files: state.files)
        defer {
            state.askedForRepair = true
            state.repairsAsked += 1
        }
        if freshRepairs(state) {
            // The run's first request and the latest failures; the failing code is not shown, and
            // the answer starts from the task's files.
            let report = try await failureReport(ran.outcome, delta: nil, request: request, state)
            state.failureReports.append(report)
            let text = Prompts.earlierFailures(state.failureReports.suffix(Self.freshReports), task: state.runTask)
            try recordFeedback(text, reason: ran.outcome.verdict.rawValue, state.iteration)
            state.messages = [state.opening[0], ChatMessage(role: .user, content: state.opening[1].content + text)]
            state.files = task.startingFiles
            return
        }
        let report = try await failureReport(ran.outcome, delta: ran.delta, request: request, state)
        // Asked to use a trace only when there is one (the executor's, or an examples program's).
        let mode = configuration.feedbackMode == .trace && !report.contains(Prompts.traceHeading) ? .tests : configuration.feedbackMode
        try sendFeedback(Prompts.feedback(report, task: request.task, mode: mode), reason: ran.outcome.verdict.rawValue, &state, afterRun: true)
    }

    /// The `fresh` conversation shows this many of the latest failures: enough that a fresh answer
    /// avoids the mistakes made so far, few enough that a small model's request stays short.
    static let freshReports = 2

    /// What a failed run showed, in the configured mode, with the test delta when there is one
    /// (and in `trace` mode the first failing test's trace).
    func failureReport(_ outcome: ExecOutcome, delta: TestDelta?, request: ExecRequest, _ state: RunState) async throws -> String {
        let mode = configuration.feedbackMode
        var text = feedbackBuilder(budget: configuration.feedbackBudget, state).feedback(for: outcome, task: request.task, mode: mode)
        if mode != .simple, let sentence = delta?.sentence { text += "\n\n" + sentence }
        if mode == .trace, let test = outcome.tests.first(where: { $0.failedToPass && $0.outcome != .timedOut && $0.outcome != .crashed }) {
            if let trace = try? await executor.trace(request, test: test.name) {
                try record(.trace(.init(test: test.name, text: trace)), state.iteration)
                text += "\n\n" + trace
            }
        }
        return text
    }

    /// The builder of this run's failure reports. A fresh run's (its repairs' and restarts') name the
    /// solution's lines in a traceback without quoting them: its answers are not shown their code.
    func feedbackBuilder(budget: Int, _ state: RunState) -> FeedbackBuilder {
        FeedbackBuilder(budget: budget, unquotedFiles: freshRepairs(state) ? Set(state.runTask.solutionFiles) : [])
    }

    /// The baseline: the same calls spent on fresh samples of the task, no feedback (and, in
    /// debug, the turn after a failure that shows nothing to repair from, or in `alternate` after
    /// a failed repair; `reason` says which).
    func resample(reason: String?, _ state: inout RunState) throws {
        try record(.resample(.init(temperature: configuration.resampleTemperature, reason: reason)), state.iteration)
        // The task as first asked: not a rewrite repair's message, which holds the failing attempt.
        state.messages = state.opening
        state.base = state.opening
        state.files = task.startingFiles
        state.freshSample = true
    }

    /// Starts a fresh attempt from the original task, saying what went wrong; the temperature
    /// rises with each (``temperature(for:)``).
    func restart(reason: String, _ state: inout RunState) throws {
        state.history.restarts += 1
        state.askedForRepair = false
        try record(.restart(.init(reason: reason, restarts: state.history.restarts)), state.iteration)
        state.files = task.startingFiles
        let runTask = state.runTask
        let builder = feedbackBuilder(budget: 1500, state)
        let last = state.history.lastOutcome.map { builder.feedback(for: $0, task: runTask) } ?? ""
        state.messages = [
            ChatMessage(role: .system, content: Prompts.system(for: runTask)),
            ChatMessage(role: .user, content: Prompts.task(runTask, agentTestPath: nil, startingFiles: task.startingFiles)
                + Prompts.restart(reason: reason, lastFailure: last)),
        ]
        state.base = state.messages
    }

    /// Records the feedback and shapes what the model sees next by the conversation style.
    /// `afterRun`: it tells how the current version failed (a `rewrite` conversation then starts
    /// over from the task, with that version as an attempt to correct).
    func sendFeedback(_ text: String, reason: String, _ state: inout RunState, afterRun: Bool = false) throws {
        try recordFeedback(text, reason: reason, state.iteration)
        if configuration.conversation == .rewrite, afterRun, !state.runTask.isProject {
            // A new request: the task, then the failing attempt and its failure as someone's code.
            state.messages = [state.base[0], ChatMessage(role: .user, content: state.base[1].content
                + Prompts.attempt(state.files, task: state.runTask, feedback: text))]
            return
        }
        state.messages.append(ChatMessage(role: .user, content: text))
        if configuration.conversation == .short, state.messages.count > 4 {
            // The task, the latest answer and what became of it.
            state.messages = Array(state.messages.prefix(2)) + Array(state.messages.suffix(2))
        }
    }

    /// Records what the model is told (redacted as it will be sent).
    func recordFeedback(_ text: String, reason: String, _ iteration: Int) throws {
        let recorded = configuration.redactSecrets ? secrets.redact(text).text : text
        try record(.feedback(.init(text: recorded, reason: reason)), iteration)
    }
}
