import Foundation

// The events that open, end and restart a run.

extension TrajectoryEvent {
    /// `run_start`: what the run is about and how it is set up.
    public struct RunStart: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "run_start"

        /// The run's limits as recorded.
        public struct Limits: Sendable, Equatable, Codable {
            /// Model turns at most.
            public var maxIterations: Int
            /// Seconds for one sandboxed run.
            public var timeoutSeconds: Double
            /// The most tokens one reply may have.
            public var maxTokens: Int
            /// The feedback's character budget.
            public var feedbackBudgetChars: Int

            /// Creates limits.
            public init(maxIterations: Int, timeoutSeconds: Double, maxTokens: Int, feedbackBudgetChars: Int) {
                self.maxIterations = maxIterations
                self.timeoutSeconds = timeoutSeconds
                self.maxTokens = maxTokens
                self.feedbackBudgetChars = feedbackBudgetChars
            }

            enum CodingKeys: String, CodingKey {
                case maxIterations = "max_iterations", timeoutSeconds = "timeout_seconds", maxTokens = "max_tokens"
                case feedbackBudgetChars = "feedback_budget_chars"
            }

            /// Reads limits; missing ones are 0.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                maxIterations = container.lenient(.maxIterations, 0)
                timeoutSeconds = container.lenient(.timeoutSeconds, 0)
                maxTokens = container.lenient(.maxTokens, 0)
                feedbackBudgetChars = container.lenient(.feedbackBudgetChars, 0)
            }
        }

        /// Where the tests that decide come from.
        public enum TestsSource: String, Sendable, Codable {
            /// The task's own tests.
            case task
            /// The task had none: the agent writes them.
            case agent
        }

        /// The trajectory format's version (``TrajectoryEvent/schemaVersion`` when written; 1 for
        /// files written before the field existed).
        public var schemaVersion: Int
        /// The task.
        public var task: TaskSpec
        /// The model's name.
        public var model: String
        /// The provider's name.
        public var provider: String
        /// The limits.
        public var limits: Limits
        /// Where the code runs (the sandbox and its isolation), in words.
        public var executor: String
        /// The version of selfdebug.
        public var toolVersion: String
        /// Where the tests come from.
        public var testsSource: TestsSource
        /// How much the model is told after a failure.
        public var feedbackMode: FeedbackMode
        /// Debug or resample.
        public var strategy: LoopStrategy
        /// What the model sees of earlier turns.
        public var conversation: ConversationStyle
        /// The temperature of repair turns, when set.
        public var repairTemperature: Double?

        /// Creates the event's fields (``TrajectoryEvent/schemaVersion`` unless told otherwise).
        public init(
            schemaVersion: Int = TrajectoryEvent.schemaVersion, task: TaskSpec, model: String, provider: String, limits: Limits,
            executor: String, toolVersion: String, testsSource: TestsSource, feedbackMode: FeedbackMode, strategy: LoopStrategy,
            conversation: ConversationStyle, repairTemperature: Double?
        ) {
            self.schemaVersion = schemaVersion
            self.task = task
            self.model = model
            self.provider = provider
            self.limits = limits
            self.executor = executor
            self.toolVersion = toolVersion
            self.testsSource = testsSource
            self.feedbackMode = feedbackMode
            self.strategy = strategy
            self.conversation = conversation
            self.repairTemperature = repairTemperature
        }

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", task, model, provider, limits, executor, toolVersion = "tool_version"
            case testsSource = "tests_source", feedbackMode = "feedback_mode", strategy, conversation
            case repairTemperature = "repair_temperature"
        }

        /// Reads the event; the task is required, settings older files lack take the loop's defaults.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schemaVersion = container.lenient(.schemaVersion, 1)
            task = try container.snakeCased(TaskSpec.self, .task)
            model = container.lenient(.model, "")
            provider = container.lenient(.provider, "")
            limits = container.lenient(.limits, Limits(maxIterations: task.maxIterations, timeoutSeconds: task.timeout, maxTokens: 0, feedbackBudgetChars: 0))
            executor = container.lenient(.executor, "")
            toolVersion = container.lenient(.toolVersion, "")
            testsSource = container.lenient(.testsSource, .task)
            feedbackMode = container.lenient(.feedbackMode, .tests)
            strategy = container.lenient(.strategy, .debug)
            conversation = container.lenient(.conversation, .full)
            repairTemperature = container.lenient(Double.self, .repairTemperature)
        }

        /// Writes the event's fields (the task with its keys in snake_case).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(schemaVersion, forKey: .schemaVersion)
            try container.encodeSnakeCased(task, forKey: .task)
            try container.encode(model, forKey: .model)
            try container.encode(provider, forKey: .provider)
            try container.encode(limits, forKey: .limits)
            try container.encode(executor, forKey: .executor)
            try container.encode(toolVersion, forKey: .toolVersion)
            try container.encode(testsSource, forKey: .testsSource)
            try container.encode(feedbackMode, forKey: .feedbackMode)
            try container.encode(strategy, forKey: .strategy)
            try container.encode(conversation, forKey: .conversation)
            try container.encodeNullable(repairTemperature, forKey: .repairTemperature)
        }
    }

    /// `run_end`: how the run ended.
    public struct RunEnd: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "run_end"

        /// Solved, unsolved or error.
        public var status: RunStatus
        /// Why the run stopped.
        public var stopReason: StopReason
        /// The run's totals (what `summary.json` says).
        public var totals: RunSummary

        /// Creates the event's fields.
        public init(status: RunStatus, stopReason: StopReason, totals: RunSummary) {
            self.status = status
            self.stopReason = stopReason
            self.totals = totals
        }

        enum CodingKeys: String, CodingKey {
            case status, stopReason = "stop_reason", totals
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(RunStatus.self, forKey: .status)
            stopReason = try container.decode(StopReason.self, forKey: .stopReason)
            totals = try container.snakeCased(RunSummary.self, .totals)
        }

        /// Writes the event's fields (the totals with their keys in snake_case).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(stopReason, forKey: .stopReason)
            try container.encodeSnakeCased(totals, forKey: .totals)
        }
    }

    /// `restart`: the loop starts a fresh attempt from the task.
    public struct Restart: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "restart"

        /// Why (the version repeated an earlier one, or the failure repeated).
        public var reason: String
        /// Fresh attempts so far, this one included.
        public var restarts: Int

        /// Creates the event's fields.
        public init(reason: String, restarts: Int) {
            self.reason = reason
            self.restarts = restarts
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            reason = container.lenient(.reason, "")
            restarts = container.lenient(.restarts, 0)
        }
    }

    /// `resample`: the resample strategy draws a fresh sample of the task, without feedback.
    public struct Resample: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "resample"

        /// The next sample's temperature.
        public var temperature: Double
        /// Why a debugging run took a fresh sample (absent for the resample strategy's own).
        public var reason: String?

        /// Creates the event's fields.
        public init(temperature: Double, reason: String? = nil) {
            self.temperature = temperature
            self.reason = reason
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            temperature = container.lenient(.temperature, 0)
            reason = container.lenient(String.self, .reason)
        }
    }
}
