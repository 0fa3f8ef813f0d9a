import Foundation

/// The engineer loop: ask the model for code, run it against the pristine tests, show the model
/// what happened, and go round again until the tests pass or the budget is spent.
///
/// The loop is ``run()`` and ``turn(_:)`` below; each step of a turn is a method that says how it
/// ended with a small enum: asking in `EngineerLoop+Ask.swift`, reading the reply into files in
/// `+Apply.swift`, running them in `+Run.swift`, telling the model (or starting afresh) in
/// `+Tell.swift`, and the record in `+Record.swift`. What the model is told is in ``Prompts``.
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
        /// Debug: a failure whose details are withheld (``ExecOutcome/detailsWithheld``: hidden
        /// tests and no examples) is followed by a fresh sample at `resampleTemperature`, as
        /// resampling would, not by a repair: with nothing to repair from, an answer anchored on the
        /// failing attempt is a worse draw than an independent one.
        public var resampleWhenBlind = true

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
        var state = try begin()
        do {
            turns: while state.iteration < max(1, configuration.maxIterations) {
                state.iteration += 1
                try Task.checkCancellation()
                state.iterations = state.iteration
                switch try await turn(&state) {
                case .solved:
                    state.stop = .solved
                    break turns
                case .givenBack: state.iteration -= 1
                case .spent: break
                }
            }
            if state.stop == nil { state.stop = .maxIterations }
        } catch {
            guard let ended = Self.stop(for: error) else { throw error }
            state.stop = ended.reason
            state.error = ended.error
        }
        if Task.isCancelled, state.stop != .solved { state.stop = .interrupted }
        return try finish(state)
    }

    /// How a turn ended.
    enum TurnEnd {
        /// The tests pass: the run is over.
        case solved
        /// The turn counted (a run, or a reply that could not be used).
        case spent
        /// The turn is given back: a free read, or a re-ask after a repeated version.
        case givenBack
    }

    /// One turn: ask the model, read its reply into files, vet them, run them, then tell the model
    /// what happened (or start afresh).
    func turn(_ state: inout RunState) async throws -> TurnEnd {
        show(state.iteration, .asking, state)
        let reply = try await ask(&state)
        let notes: [String]
        switch try read(reply, &state) {
        case .version(let applierNotes): notes = applierNotes
        case .answered: return .spent
        case .notATurn: return .givenBack
        }
        switch vet(&state) {
        case .run: break
        case .askAgain(let note):
            try askAgain(note, &state)
            return .givenBack
        case .restart(let reason):
            try restart(reason: reason, &state)
            return .spent
        }
        let ran = try await run(notes: notes, &state)
        if ran.outcome.passed { return .solved }
        switch afterFailure(ran.outcome, &state) {
        case .tell: try await tell(ran, &state)
        case .resample(let reason): try resample(reason: reason, &state)
        case .restart(let reason): try restart(reason: reason, &state)
        }
        return .spent
    }

    /// Whether repairs are fresh answers to the task (``ConversationStyle/fresh``; a project is
    /// always repaired from its files).
    func freshRepairs(_ state: RunState) -> Bool {
        configuration.conversation == .fresh && !state.runTask.isProject
    }

    /// Where the agent writes its own tests, when the task has none (else nil).
    var agentTestPath: String? {
        if case .agentTests(let path) = task.verification { return path }
        return nil
    }
}
