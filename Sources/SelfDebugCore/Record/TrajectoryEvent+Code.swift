import Foundation

// The events of code versions, their runs and what the model is told about them.

extension TrajectoryEvent {
    /// `code`: a new version of the files.
    public struct Code: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "code"

        /// The version's files by relative path: all of them for single-file and solution tasks,
        /// only the changed ones in project mode (the rest are as before).
        public var files: [String: String]
        /// The paths the reply changed.
        public var changed: [String]
        /// What applying the reply noted (edits that did not apply cleanly, ...).
        public var notes: [String]

        /// Creates the event's fields.
        public init(files: [String: String], changed: [String], notes: [String]) {
            self.files = files
            self.changed = changed
            self.notes = notes
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            files = container.lenient(.files, [:])
            changed = container.lenient(.changed, [])
            notes = container.lenient(.notes, [])
        }
    }

    /// `exec`: one sandboxed run of a version against the pristine tests.
    public struct Exec: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "exec"

        /// The verdict, from the pristine tests.
        public var verdict: Verdict
        /// The deciding (last) command.
        public var command: [String]
        /// Its exit status, when it exited.
        public var exitStatus: Int32?
        /// The signal that ended it, when one did.
        public var signal: Int32?
        /// Whether any step hit the wall-clock limit.
        public var timedOut: Bool
        /// Seconds in processes, all steps together.
        public var durationSeconds: Double
        /// Every process that ran, in order, with its captured output and the limits it hit.
        public var steps: [CommandRun]
        /// Parsed compiler and interpreter diagnostics.
        public var diagnostics: [Diagnostic]
        /// Per-test results.
        public var tests: [TestCaseResult]
        /// Tests that passed.
        public var testsPassed: Int
        /// Tests that failed.
        public var testsFailed: Int
        /// Tests the tests skipped.
        public var testsSkipped: Int
        /// The user interrupted selfdebug while the code ran.
        public var interrupted: Bool
        /// Benchmarks in honest mode: the hidden tests' verdict (never shown to the model).
        public var hiddenVerdict: Verdict?
        /// Notes for the model (tests it tried to change, flaky tests, limits hit...).
        public var notes: [String]
        /// A fix run's run of the project as it was, before the first turn (iteration 0).
        public var baseline: Bool
        /// What this version fixed and broke against the one before (absent for a baseline).
        public var delta: TestDelta?

        /// The fields of `outcome`: the deciding command's status at the top, every step below.
        public init(_ outcome: ExecOutcome, baseline: Bool = false, delta: TestDelta? = nil) {
            let last = outcome.runs.last
            verdict = outcome.verdict
            command = last?.command ?? []
            exitStatus = last?.exitStatus
            signal = last?.signal
            timedOut = outcome.runs.contains(where: \.timedOut)
            durationSeconds = outcome.durationSeconds
            steps = outcome.runs
            diagnostics = outcome.diagnostics
            tests = outcome.tests
            testsPassed = outcome.passedCount
            testsFailed = outcome.failedCount
            testsSkipped = outcome.skippedCount
            interrupted = outcome.verdict == .interrupted
            hiddenVerdict = outcome.judgedVerdict
            notes = outcome.notes
            self.baseline = baseline
            self.delta = delta
        }

        /// Tests in all: passed, failed and skipped.
        public var testsTotal: Int { testsPassed + testsFailed + testsSkipped }

        enum CodingKeys: String, CodingKey {
            case verdict, command, exitStatus = "exit_status", signal, timedOut = "timed_out", durationSeconds = "duration_seconds"
            case steps, diagnostics, tests, testsPassed = "tests_passed", testsFailed = "tests_failed", testsSkipped = "tests_skipped"
            case interrupted, hiddenVerdict = "hidden_verdict", notes, baseline, delta
        }

        /// Reads the event; the verdict is required, what older files lack is empty or zero.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            verdict = try container.decode(Verdict.self, forKey: .verdict)
            command = container.lenient(.command, [])
            exitStatus = container.lenient(Int32.self, .exitStatus)
            signal = container.lenient(Int32.self, .signal)
            timedOut = container.lenient(.timedOut, false)
            durationSeconds = container.lenient(.durationSeconds, 0)
            steps = container.snakeCased(.steps, [])
            diagnostics = container.snakeCased(.diagnostics, [])
            tests = container.snakeCased(.tests, [])
            testsPassed = container.lenient(.testsPassed, 0)
            testsFailed = container.lenient(.testsFailed, 0)
            testsSkipped = container.lenient(.testsSkipped, 0)
            interrupted = container.lenient(.interrupted, verdict == .interrupted)
            hiddenVerdict = container.lenient(Verdict.self, .hiddenVerdict)
            notes = container.lenient(.notes, [])
            baseline = container.lenient(.baseline, false)
            delta = try? container.snakeCased(TestDelta.self, .delta)
        }

        /// Writes the event's fields; `baseline` only when set, `delta` only when there is one.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(verdict, forKey: .verdict)
            try container.encode(command, forKey: .command)
            try container.encodeNullable(exitStatus, forKey: .exitStatus)
            try container.encodeNullable(signal, forKey: .signal)
            try container.encode(timedOut, forKey: .timedOut)
            try container.encode(durationSeconds, forKey: .durationSeconds)
            try container.encodeSnakeCased(steps, forKey: .steps)
            try container.encodeSnakeCased(diagnostics, forKey: .diagnostics)
            try container.encodeSnakeCased(tests, forKey: .tests)
            try container.encode(testsPassed, forKey: .testsPassed)
            try container.encode(testsFailed, forKey: .testsFailed)
            try container.encode(testsSkipped, forKey: .testsSkipped)
            try container.encode(interrupted, forKey: .interrupted)
            try container.encodeNullable(hiddenVerdict, forKey: .hiddenVerdict)
            try container.encode(notes, forKey: .notes)
            if baseline { try container.encode(true, forKey: .baseline) }
            if let delta { try container.encodeSnakeCased(delta, forKey: .delta) }
        }
    }

    /// `feedback`: what the model is told (redacted as sent).
    public struct Feedback: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "feedback"

        /// The text.
        public var text: String
        /// Why it was sent: the verdict of the run it follows, or `read`, `repeated`, `no tests`,
        /// or the reason a reply was rejected.
        public var reason: String

        /// Creates the event's fields.
        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = container.lenient(.text, "")
            reason = container.lenient(.reason, "")
        }
    }

    /// `tests_written`: the task had no tests and the agent wrote them.
    public struct TestsWritten: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "tests_written"

        /// The test files by relative path.
        public var files: [String: String]
        /// Who wrote them (`agent`).
        public var by: String

        /// Creates the event's fields.
        public init(files: [String: String], by: String = "agent") {
            self.files = files
            self.by = by
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            files = container.lenient(.files, [:])
            by = container.lenient(.by, "agent")
        }
    }

    /// `trace`: an execution trace of a failing test (feedback mode `trace`).
    public struct Trace: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "trace"

        /// The traced test.
        public var test: String
        /// The trace.
        public var text: String

        /// Creates the event's fields.
        public init(test: String, text: String) {
            self.test = test
            self.text = text
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            test = container.lenient(.test, "")
            text = container.lenient(.text, "")
        }
    }
}
