import Foundation

/// The engineer loop: ask the model for code, run it against the pristine tests, show the model
/// what happened, and go round again until the tests pass or the budget is spent.
///
/// Everything the loop touches goes through a seam (``ChatModel``, ``Executor``, ``Recorder``,
/// ``AgentClock``, ``ProgressSink``), so it runs in tests with scripted fakes. Every step is recorded
/// before the next one starts.
public struct EngineerLoop: Sendable {
    /// Limits and model settings.
    public struct Configuration: Sendable {
        /// The model's name.
        public var model: String
        /// Model turns at most (the task's `max_iterations` unless overridden).
        public var maxIterations: Int
        /// Sampling temperature.
        public var temperature: Double = 0.2
        /// The most tokens one reply may have.
        public var maxTokens: Int = 4096
        /// The feedback's character budget.
        public var feedbackBudget: Int = 6000
        /// The version of selfdebug, for the record.
        public var toolVersion: String = "dev"
        /// How much the model is told after a failed run.
        public var feedbackMode: FeedbackMode = .tests
        /// Run failing tests a second time before blaming the code; failures that pass then are flaky.
        public var rerunFailures = true
        /// Start a fresh attempt from the task when the model repeats a version or a failure.
        public var restartWhenStuck = true
        /// How much each fresh attempt raises the temperature (to get a different answer).
        public var restartTemperatureStep = 0.3
        /// A run of the starting files made before the loop (project mode), recorded as iteration 0.
        public var baseline: ExecOutcome?
        /// The model's context in tokens: requests are shortened to fit it with room for the reply.
        public var contextTokens: Int = 128_000
        /// Replace secrets in everything sent to the model (and in the recorded feedback).
        public var redactSecrets = true
        /// Secret values from outside the task (the environment's keys and tokens), value to the name
        /// they came from: never sent, never recorded (``SecretScope/outsideSecrets(environment:)``).
        public var outsideSecrets: [String: String] = [:]
        /// The most tokens (prompt and completion) the run may spend.
        public var maxTotalTokens: Int?
        /// The most US dollars the run may spend (needs `price`).
        public var maxCostUSD: Double?
        /// The model's price, for cost accounting and `maxCostUSD`.
        public var price: ModelPrice?
        /// Debug: the temperature of repair turns (after a failure), when set; small models at a
        /// low temperature tend to send back the code they were told is wrong, word for word.
        public var repairTemperature: Double?
        /// What the model sees of earlier turns.
        public var conversation: ConversationStyle = .full
        /// Debug (feedback after each failure) or resample (fresh samples of the task, no feedback).
        public var strategy: LoopStrategy = .debug
        /// Resample: the temperature of every sample after the first (the first uses `temperature`).
        public var resampleTemperature = 0.8
        /// Debug: replies that repeat a version that already ran are not run again; the model is
        /// told so and asked again, at a higher temperature, up to this many times in a run (then
        /// the loop restarts). Each such call is counted in `llm_calls`.
        public var repeatRetries = 2

        /// Creates a configuration.
        public init(model: String, maxIterations: Int) {
            self.model = model
            self.maxIterations = maxIterations
        }
    }

    /// Replies that only ask to read files and do not count as a turn, per run.
    static let freeReads = 3

    let task: TaskSpec
    let configuration: Configuration
    let model: any ChatModel
    let executor: any Executor
    let recorder: any Recorder
    let clock: any AgentClock
    let progress: any ProgressSink
    /// The run's secrets: what is redacted, and the placeholders mapped back in the model's replies.
    let secrets: SecretScope

    /// Creates a loop for `task`.
    public init(
        task: TaskSpec, configuration: Configuration, model: any ChatModel, executor: any Executor,
        recorder: any Recorder, clock: any AgentClock = SystemClock(), progress: any ProgressSink = SilentProgress()
    ) {
        self.task = task
        self.configuration = configuration
        self.model = model
        self.executor = executor
        self.recorder = recorder
        self.clock = clock
        self.progress = progress
        secrets = SecretScope(task: task, outsideSecrets: configuration.outsideSecrets)
    }

    /// Runs the loop to the end. Model and executor failures and cancellation end the run with
    /// status `error`; only a failing recorder throws.
    public func run() async throws -> RunResult {
        var state = RunState(task: task, start: clock.now())
        let agentTestPath = task.tests.isEmpty && task.programTests == nil && task.testCommand == nil ? Self.agentTestPath(for: task) : nil
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
        }
        var messages = [
            ChatMessage(role: .system, content: Prompts.system(for: task)),
            ChatMessage(role: .user, content: Prompts.task(task, agentTestPath: agentTestPath, startingFiles: task.startingFiles)),
        ]
        var files = task.startingFiles
        var runTask = task
        var history = IterationHistory()
        // The system message and the task as the current attempt began (rewrite repairs start from it).
        var base = messages
        var repeatsLeft = configuration.repeatRetries
        // Raises the temperature of a re-ask after a repeated version.
        var nudge = 0.0
        if let baseline = configuration.baseline { history.append(files, outcome: baseline, iteration: 0) }

        do {
            var iteration = 0
            var freeReads = Self.freeReads
            while iteration < max(1, configuration.maxIterations) {
                iteration += 1
                try Task.checkCancellation()
                state.iterations = iteration
                // 1. Ask the model.
                show(iteration, .asking, state)
                let temperature = configuration.strategy == .resample && iteration > 1 ? configuration.resampleTemperature
                    : min(1.0, nudge + (iteration > 1 && configuration.repairTemperature != nil ? configuration.repairTemperature!
                        : configuration.temperature + Double(history.restarts) * configuration.restartTemperatureStep))
                var shrink = 1.0
                var response: ChatResponse?
                var asked = clock.now()
                while response == nil {
                    let plan: RequestPlanner.Plan
                    switch RequestPlanner(configuration: configuration).plan(
                        messages, temperature: temperature, spentPrompt: state.promptTokens, spentCompletion: state.completionTokens, context: shrink,
                        secrets: secrets) {
                    case .ready(let ready): plan = ready
                    case .overBudget(let reason): throw BudgetExhausted(reason: reason)
                    case .overContext(let reason): throw ModelError(.badRequest, reason)
                    }
                    let request = plan.request
                    try record(.llmRequest(.init(
                        request, droppedMessages: plan.dropped, estimatedPromptTokens: plan.estimatedPromptTokens, redactions: plan.redactions)),
                        iteration)
                    asked = clock.now()
                    do {
                        response = try await callModel(request)
                    } catch let error as ModelError where error.code == .badRequest && shrink > 0.3 && Self.saysContextTooLong(error.message) {
                        // The server counts differently: shorten harder and ask again.
                        shrink /= 2
                        try record(.contextExceeded(.init(message: error.message, shrink: shrink)), iteration)
                    }
                }
                guard let response else { continue }
                let latency = clock.now().timeIntervalSince(asked)
                state.llmCalls += 1
                state.llmSeconds += latency
                state.promptTokens += response.usage.promptTokens
                state.completionTokens += response.usage.completionTokens
                try record(.llmResponse(.init(response, latencySeconds: latency)), iteration)
                messages.append(ChatMessage(role: .assistant, content: response.text))

                // 2. Read the reply into files (or show the files it asks for), its placeholders mapped back.
                secrets.own(response.text)
                let reply = secrets.restore(response.text)
                let (edits, problems) = ReplyParser().parse(reply)
                let reads = ReplyParser().readRequests(reply)
                if edits.isEmpty, problems.isEmpty, !reads.isEmpty {
                    try sendFeedback(Self.shownFiles(reads, files: files.merging(runTask.tests) { a, _ in a }, language: runTask.language),
                                     iteration, reason: "read", &messages)
                    // Looking at files is not an attempt: the first few reads do not use up a turn.
                    if freeReads > 0 {
                        freeReads -= 1
                        iteration -= 1
                    }
                    continue
                }
                var usable = edits
                if let agentTestPath, runTask.tests.isEmpty {
                    usable = edits.filter { $0.path.map(EditApplier.normalize) != agentTestPath }
                    if let tests = Self.agentTests(in: edits, path: agentTestPath) {
                        runTask.tests = [agentTestPath: tests]
                        try record(.testsWritten(.init(files: [agentTestPath: tests])), iteration)
                    }
                }
                let applied = EditApplier(task: runTask).apply(usable, problems: problems, to: files)
                guard case .applied(let newFiles, let changed, let notes) = applied else {
                    if case .rejected(let message, let reason) = applied {
                        try sendFeedback(message, iteration, reason: reason, &messages)
                    }
                    continue
                }
                if agentTestPath != nil, runTask.tests.isEmpty {
                    try sendFeedback("Your reply had no tests. Send the test file \(agentTestPath ?? "") as its path on a line followed by a fenced block, then the solution.", iteration, reason: "no tests", &messages)
                    continue
                }
                files = newFiles
                // A project's unchanged files are not repeated in every event.
                let recorded = runTask.testCommand == nil ? files : files.filter { changed.contains($0.key) }
                try record(.code(.init(files: recorded, changed: changed, notes: notes)), iteration)
                if configuration.strategy == .debug, let earlier = history.iteration(ranSame: files) {
                    if repeatsLeft > 0 {
                        // Running it again would only fail again: ask again, hotter, with a note. Not a turn.
                        // The repeated reply leaves the conversation: a small model copies what it sees
                        // itself say (measured: the same 400 characters at temperatures 0.2, 0.5 and 0.8).
                        let note = Prompts.repeated(earlier, task: runTask)
                        try recordFeedback(note, iteration, reason: "repeated")
                        repeatsLeft -= 1
                        nudge += 0.3
                        iteration -= 1
                        messages.removeLast()
                        if let last = messages.indices.last, messages[last].role == .user {
                            messages[last].content += "\n\n" + note
                        } else {
                            messages.append(ChatMessage(role: .user, content: note))
                        }
                        continue
                    }
                    if configuration.restartWhenStuck {
                        // The model is going round in circles: repair gains fade, so start afresh.
                        try restart(&messages, &files, &history, iteration, reason: "the code is identical to the version of iteration \(earlier)", runTask: runTask)
                        base = messages
                        continue
                    }
                }
                nudge = 0

                // 3. Run the code against the pristine tests (failing tests twice, to spot flaky ones).
                show(iteration, .running, state)
                let outcome = try await runChecked(ExecRequest(task: runTask, files: files), notes: notes)
                state.execSeconds += outcome.durationSeconds
                let delta = TestDelta(from: history.lastOutcome, to: outcome)
                try record(.exec(.init(outcome, delta: delta)), iteration)
                // Ctrl-C while the code ran: the record says so, and the run ends here.
                if outcome.verdict == .interrupted { throw CancellationError() }
                state.consider(outcome, files: files, iteration: iteration)
                show(iteration, .result, state, message: FeedbackBuilder(budget: 200).headline(outcome, task: runTask))
                if outcome.passed {
                    state.stop = .solved
                    break
                }
                let repeated = history.repeatsLastFailure(outcome)
                history.append(files, outcome: outcome, iteration: iteration)
                if configuration.strategy == .resample {
                    // The baseline: the same calls spent on fresh samples of the task, no feedback.
                    try record(.resample(.init(temperature: configuration.resampleTemperature)), iteration)
                    messages = Array(messages.prefix(2))
                    files = task.startingFiles
                    continue
                }
                if configuration.restartWhenStuck, repeated {
                    try restart(&messages, &files, &history, iteration, reason: "the same failure as the previous version", runTask: runTask)
                    base = messages
                    continue
                }

                // 4. Tell the model what happened.
                let feedback = try await feedbackText(outcome, delta: delta, request: ExecRequest(task: runTask, files: files), iteration: iteration)
                try sendFeedback(feedback, iteration, reason: outcome.verdict.rawValue, &messages, attempt: (files, base: base, task: runTask))
            }
            if state.stop == nil { state.stop = .maxIterations }
        } catch let error as BudgetExhausted {
            state.stop = .budget
            state.error = error.reason
        } catch let error as ModelError where error.code == .cancelled {
            state.stop = .interrupted
        } catch let error as ModelError {
            state.stop = .modelError
            state.error = "model: \(error.message)"
        } catch let error as LoopExecutorError {
            state.stop = .executorError
            state.error = error.description
        } catch is CancellationError {
            state.stop = .interrupted
        }
        if Task.isCancelled, state.stop != .solved { state.stop = .interrupted }
        return try finish(state, runTask: runTask, agentTests: agentTestPath != nil)
    }

    // MARK: - Steps

    func callModel(_ request: ChatRequest) async throws -> ChatResponse {
        do {
            return try await model.complete(request, onDelta: nil)
        } catch let error as ModelError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ModelError(.badResponse, "the model call failed: \(error)")
        }
    }

    func runCode(_ request: ExecRequest, notes: [String]) async throws -> ExecOutcome {
        do {
            var outcome = try await executor.run(request)
            outcome.notes = notes + outcome.notes
            if Task.isCancelled || outcome.runs.contains(where: { $0.interrupted == true }) { outcome.verdict = .interrupted }
            return outcome
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LoopExecutorError(description: "the code could not be run: \(error)")
        }
    }

    /// Runs the code; when tests fail, runs it once more and marks the failures that pass then as flaky.
    func runChecked(_ request: ExecRequest, notes: [String]) async throws -> ExecOutcome {
        var outcome = try await runCode(request, notes: notes)
        guard configuration.rerunFailures, outcome.verdict == .testsFailed else { return outcome }
        let again = try await runCode(request, notes: [])
        if again.verdict == .interrupted {
            outcome.runs += again.runs
            outcome.verdict = .interrupted
            return outcome
        }
        outcome.notes += again.notes.filter { !outcome.notes.contains($0) }
        let passedAgain = Set(again.tests.filter(\.passed).map(\.name))
        var flaky: [String] = []
        for index in outcome.tests.indices where outcome.tests[index].failedToPass && passedAgain.contains(outcome.tests[index].name) {
            outcome.tests[index].flaky = true
            flaky.append(outcome.tests[index].name)
        }
        outcome.runs += again.runs
        if !flaky.isEmpty {
            outcome.notes.append("Flaky: \(flaky.joined(separator: ", ")) failed, then passed when run again; not counted against the code.")
            outcome.verdict = Verdict.judging(outcome.tests)
        }
        return outcome
    }

    /// The feedback for a failed run, in the configured mode, with the test delta.
    func feedbackText(_ outcome: ExecOutcome, delta: TestDelta, request: ExecRequest, iteration: Int) async throws -> String {
        let mode = configuration.feedbackMode
        var text = FeedbackBuilder(budget: configuration.feedbackBudget).feedback(for: outcome, task: request.task, mode: mode)
        if mode != .simple, let sentence = delta.sentence { text += "\n\n" + sentence }
        if mode == .trace, let test = outcome.tests.first(where: { $0.failedToPass && $0.outcome != .timedOut && $0.outcome != .crashed }) {
            if let trace = try? await executor.trace(request, test: test.name) {
                try record(.trace(.init(test: test.name, text: trace)), iteration)
                text += "\n\n" + trace
            }
        }
        return Prompts.feedback(text, task: request.task, mode: mode)
    }

    /// Starts a fresh attempt from the original task, saying what went wrong, at a higher temperature.
    func restart(
        _ messages: inout [ChatMessage], _ files: inout [String: String], _ history: inout IterationHistory, _ iteration: Int,
        reason: String, runTask: TaskSpec
    ) throws {
        history.restarts += 1
        try record(.restart(.init(reason: reason, restarts: history.restarts)), iteration)
        files = task.startingFiles
        let last = history.lastOutcome.map { FeedbackBuilder(budget: 1500).feedback(for: $0, task: runTask) } ?? ""
        messages = [
            ChatMessage(role: .system, content: Prompts.system(for: runTask)),
            ChatMessage(role: .user, content: Prompts.task(runTask, agentTestPath: nil, startingFiles: task.startingFiles)
                + "\n\nAn earlier attempt got stuck (\(reason)). Do not repeat it: think again about the approach and write the solution afresh."
                + (last.isEmpty ? "" : " It failed like this:\n\n" + last)),
        ]
    }

    /// Records the feedback and shapes what the model sees next by the conversation style.
    /// `attempt`: the failing version after a run, with the conversation's start, for `rewrite`.
    func sendFeedback(
        _ text: String, _ iteration: Int, reason: String, _ messages: inout [ChatMessage],
        attempt: (files: [String: String], base: [ChatMessage], task: TaskSpec)? = nil
    ) throws {
        try recordFeedback(text, iteration, reason: reason)
        if configuration.conversation == .rewrite, let attempt, attempt.task.testCommand == nil {
            // A new request: the task, then the failing attempt and its failure as someone's code.
            messages = [attempt.base[0], ChatMessage(role: .user, content: attempt.base[1].content
                + Prompts.attempt(attempt.files, task: attempt.task, feedback: text))]
            return
        }
        messages.append(ChatMessage(role: .user, content: text))
        if configuration.conversation == .short, messages.count > 4 {
            // The task, the latest answer and what became of it.
            messages = Array(messages.prefix(2)) + Array(messages.suffix(2))
        }
    }

    /// Records what the model is told (redacted as it will be sent).
    func recordFeedback(_ text: String, _ iteration: Int, reason: String) throws {
        let recorded = configuration.redactSecrets ? secrets.redact(text).text : text
        try record(.feedback(.init(text: recorded, reason: reason)), iteration)
    }

    func finish(_ state: RunState, runTask: TaskSpec, agentTests: Bool) throws -> RunResult {
        let stop = state.stop ?? .maxIterations
        let status: RunStatus = switch stop {
        case .solved: .solved
        case .maxIterations, .budget: .unsolved
        case .modelError, .executorError, .interrupted: .error
        }
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
        return RunResult(summary: summary, files: state.bestFiles, agentTests: agentTests ? runTask.tests : [:], outcome: state.bestOutcome)
    }

    func record(_ body: TrajectoryEvent.Body, _ iteration: Int) throws {
        // No value of the environment's secrets is ever written: scrubbed in the fields as written.
        try recorder.record(TrajectoryEvent(iteration: iteration, time: clock.now(), body: body).mappingFields(secrets.scrub))
    }

    func show(_ iteration: Int, _ phase: ProgressUpdate.Phase, _ state: RunState, message: String? = nil) {
        progress.update(ProgressUpdate(
            iteration: iteration, maxIterations: configuration.maxIterations, phase: phase,
            testsPassed: state.lastOutcome?.passedCount, testsTotal: state.lastOutcome?.testCount,
            tokens: state.promptTokens + state.completionTokens, message: message))
    }
}
