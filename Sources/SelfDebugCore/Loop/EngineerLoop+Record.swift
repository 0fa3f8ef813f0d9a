import Foundation

/// The run's start and end, how an error ends it, and the record and the progress every step writes.
extension EngineerLoop {
    /// Records the run's start (and the baseline run, in project mode) and opens the conversation
    /// with the system message and the task.
    func begin() throws -> RunState {
        var state = RunState(task: task, start: clock.now(), repeatRetries: configuration.repeatRetries, freeReads: Self.freeReads)
        try record(.runStart(.init(
            task: task, model: configuration.model, provider: model.providerName,
            limits: .init(maxIterations: configuration.maxIterations, timeoutSeconds: task.timeout,
                          maxTokens: configuration.maxTokens, feedbackBudgetChars: configuration.feedbackBudget),
            executor: executor.description, toolVersion: configuration.toolVersion, testsSource: agentTestPath == nil ? .task : .agent,
            feedbackMode: configuration.feedbackMode, strategy: configuration.strategy, conversation: configuration.conversation,
            repairTemperature: configuration.repairTemperature)), 0)
        if let baseline = configuration.baseline {
            try record(.exec(.init(baseline, baseline: true)), 0)
            state.execSeconds += baseline.durationSeconds
            state.history.append(state.files, outcome: baseline, iteration: 0)
        }
        state.messages = [
            ChatMessage(role: .system, content: Prompts.system(for: task)),
            ChatMessage(role: .user, content: Prompts.task(task, agentTestPath: agentTestPath, startingFiles: task.startingFiles)),
        ]
        state.base = state.messages
        state.opening = state.messages
        return state
    }

    /// How an error ends the run: the stop reason and the summary's error. Nil for an error that
    /// is not the run's to end (a failing recorder), which `run()` throws.
    static func stop(for error: any Error) -> (reason: StopReason, error: String?)? {
        switch error {
        case let error as BudgetExhausted: (.budget, error.reason)
        case let error as ModelError where error.code == .cancelled: (.interrupted, nil)
        case let error as ModelError: (.modelError, "model: \(error.message)")
        case let error as LoopExecutorError: (.executorError, error.description)
        case is CancellationError: (.interrupted, nil)
        default: nil
        }
    }

    /// Records the run's end and returns its result: the best version and its outcome.
    func finish(_ state: RunState) throws -> RunResult {
        let stop = state.stop ?? .maxIterations
        let status: RunStatus = switch stop {
        case .solved: .solved
        case .maxIterations, .budget: .unsolved
        case .modelError, .executorError, .interrupted: .error
        }
        let agentTests = agentTestPath != nil
        var summary = RunSummary(
            status: status, stopReason: stop, iterations: state.iterations, llmCalls: state.llmCalls,
            promptTokens: state.promptTokens, completionTokens: state.completionTokens,
            wallSeconds: clock.now().timeIntervalSince(state.start), execSeconds: state.execSeconds, llmSeconds: state.llmSeconds,
            model: configuration.model, provider: model.providerName, solutionFiles: state.bestFiles.keys.sorted(),
            solutionIteration: state.bestIteration, testsPassed: state.bestOutcome?.passedCount ?? 0,
            testsTotal: state.bestOutcome?.testCount ?? 0, verifiedBy: agentTests ? "agent_tests" : "task_tests",
            error: state.error ?? (stop == .interrupted ? "interrupted" : nil),
            costUSD: RequestPlanner(configuration: configuration).cost(prompt: state.promptTokens, completion: state.completionTokens))
        summary.testsSkipped = state.bestOutcome?.skippedCount
        show(state.iterations, .done, state, message: "\(status.rawValue) (\(stop.rawValue))")
        try record(.runEnd(.init(status: status, stopReason: stop, totals: summary)), state.iterations)
        return RunResult(summary: summary, files: state.bestFiles, agentTests: agentTests ? state.runTask.tests : [:], outcome: state.bestOutcome)
    }

    /// Writes one event, stamped with the iteration and the time.
    func record(_ body: TrajectoryEvent.Body, _ iteration: Int) throws {
        // No value of the environment's secrets is ever written: scrubbed in the fields as written.
        try recorder.record(TrajectoryEvent(iteration: iteration, time: clock.now(), body: body).mappingFields(secrets.scrub))
    }

    /// Tells the progress sink where the run is.
    func show(_ iteration: Int, _ phase: ProgressUpdate.Phase, _ state: RunState, message: String? = nil) {
        progress.update(ProgressUpdate(
            iteration: iteration, maxIterations: configuration.maxIterations, phase: phase,
            testsPassed: state.lastOutcome?.passedCount, testsTotal: state.lastOutcome?.testCount,
            tokens: state.promptTokens + state.completionTokens, message: message))
    }
}
