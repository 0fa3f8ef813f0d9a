import Foundation
import SelfDebugBench
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox

/// What one strategy's benchmark run gave.
public struct BenchStrategyRun: Sendable {
    /// The strategy: feedback after each failure, or fresh samples.
    public var strategy: LoopStrategy
    /// Pass rates per turn, tokens and time.
    public var report: BenchReport
    /// Whether every problem ended in an error (the model or the sandbox never worked).
    public var allErrors: Bool
}

/// What `bench` gave: one run per strategy, in order, and where the results are.
public struct BenchOutcome: Sendable {
    /// The strategies' runs; an interrupt ends the list at the interrupted one.
    public var runs: [BenchStrategyRun]
    /// The output folder (one subfolder per strategy when there are several).
    public var out: String
    /// Whether Ctrl-C (or SIGTERM) stopped the benchmark.
    public var interrupted: Bool

    /// The exit status (``ExitStatus/init(for:)-(BenchOutcome)``).
    public var exitStatus: ExitStatus { ExitStatus(for: self) }
}

/// `bench`: a benchmark set run with parallel workers, resumed where an earlier run stopped.
public struct BenchService: Sendable {
    /// The session's choices, configuration and reporter.
    public let session: AppSession

    /// A service that runs with `session`.
    public init(session: AppSession) { self.session = session }

    /// Which problems, how, and with which strategies.
    public struct Request: Sendable {
        /// The benchmark set (JSONL).
        public var data: String
        /// Only the first N problems (of this shard).
        public var limit: Int?
        /// Problems solved at once.
        public var jobs = 1
        /// One slice: `K/N`, or `auto/N` (see ``Shard``).
        public var shard: String?
        /// Which tests' failures the model is shown.
        public var feedbackTests = FeedbackTests.visible
        /// The strategies, run in order on the same problems.
        public var strategies = [LoopStrategy.debug]
        /// An earlier output folder on the same problems whose first answers the first strategy reuses.
        public var firstAnswersFrom: String?
        /// Later strategies start from the first strategy's first answers (``PairedFirstAnswer``).
        public var paired = true
        /// Swift problems without examples show their first hidden assert as one
        /// (``BenchProblem/showingFirstTest()``).
        public var showFirstTest = false

        /// A request to run `data`.
        public init(data: String) { self.data = data }

        /// The `--feedback-tests` value; anything but visible or hidden is bad usage.
        public static func feedbackTests(_ text: String) throws -> FeedbackTests {
            guard let feedback = FeedbackTests(rawValue: text) else {
                throw AppError(.badInput, "--feedback-tests must be visible or hidden, not '\(text)'")
            }
            return feedback
        }

        /// The `--strategy` value (comma-separated); an unknown or empty one is bad usage.
        public static func strategies(_ text: String) throws -> [LoopStrategy] {
            let strategies = try text.split(separator: ",").map { name -> LoopStrategy in
                guard let value = LoopStrategy(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw AppError(.badInput, "--strategy must be debug, resample, alternate or repair-once, or several of them comma-separated (debug,resample), not '\(text)'")
                }
                return value
            }
            guard !strategies.isEmpty else { throw AppError(.badInput, "--strategy needs a strategy") }
            return strategies
        }
    }

    /// Runs the benchmark, strategy after strategy, writing each one's records and report.
    public func run(_ request: Request) async throws -> BenchOutcome {
        let runSettings = session.runSettings
        var problems: [BenchProblem]
        do {
            problems = try BenchProblem.load(request.data)
            if let shard = request.shard { problems = try Shard(shard, environment: session.environment).slice(problems) }
            if request.showFirstTest { problems = problems.map { $0.showingFirstTest() ?? $0 } }
        } catch let error as BenchError {
            throw AppError(.badInput, error.description)
        }
        if let limit = request.limit {
            guard limit >= 1 else { throw AppError(.badInput, "--limit must be at least 1") }
            problems = Array(problems.prefix(limit))
        }
        guard request.jobs >= 1 else { throw AppError(.badInput, "--jobs must be at least 1") }
        let maxIterations = runSettings.maxIterations ?? 3
        let timeout = runSettings.timeout ?? (problems.first?.language == .swift ? 60 : 10)
        let stem = ((request.data as NSString).lastPathComponent as NSString).deletingPathExtension
        let out = runSettings.out ?? "selfdebug-runs/bench-\(stem)" + (request.shard.map { "-shard-" + $0.replacingOccurrences(of: "/", with: "-of-") } ?? "")
        let model = try session.makeModel()
        let sandbox = try session.makeSandbox()
        let limits = try runSettings.limits(timeout: timeout)
        let executors = ExecutorCache(sandbox: sandbox, limits: limits)
        var runs: [BenchStrategyRun] = []
        // Every problem runs as a program-mode task (its tests appended to the solution): the
        // loop's defaults (the fresh conversation) are those of such a task.
        var problemTask = TaskSpec(language: problems.first?.language ?? .python, solutionFiles: [], tests: [:], maxIterations: maxIterations, body: "")
        problemTask.programTests = ""
        problemTask.programTestsAreExamples = request.feedbackTests == .visible
        for strategy in request.strategies {
            var loop = session.configuration(model: model.name, task: problemTask)
            loop.maxIterations = maxIterations
            loop.strategy = strategy
            let folder = request.strategies.count > 1 ? (out as NSString).appendingPathComponent(strategy.rawValue) : out
            var runner = BenchRunner(model: model.client, loop: loop, timeout: timeout, jobs: request.jobs, outDir: folder) { language in
                try await executors.executor(for: language)
            }
            runner.feedbackTests = request.feedbackTests
            // Later strategies start from the first strategy's first answers: turn 0 is shared,
            // and the columns differ only in what each strategy did after it.
            runner.firstAnswersFrom = runs.isEmpty || !request.paired ? request.firstAnswersFrom
                : (out as NSString).appendingPathComponent(request.strategies[0].rawValue)
            let (run, interrupted) = try await self.run(runner, problems: problems, request: request, model: model, maxIterations: maxIterations)
            runs.append(run)
            if interrupted { return BenchOutcome(runs: runs, out: out, interrupted: true) }
        }
        return BenchOutcome(runs: runs, out: out, interrupted: false)
    }

    /// One strategy's run under Ctrl-C handling, with a progress line per finished problem.
    private func run(
        _ runner: BenchRunner, problems: [BenchProblem], request: Request, model: ChosenModel, maxIterations: Int
    ) async throws -> (BenchStrategyRun, interrupted: Bool) {
        let out = runner.outDir
        let earlier = BenchRunner.records(in: out).filter { record in problems.contains { $0.id == record.id } }.count
        let jobs = request.jobs
        session.say("selfdebug bench · \(request.data) · \(problems.count) problems\(earlier > 0 ? " (\(earlier) already done: resuming)" : "") · \(jobs) job\(jobs == 1 ? "" : "s") · model \(model.name) via \(model.client.providerName) · strategy \(runner.loop.strategy.rawValue)\(runner.loop.strategy == .resample ? "" : ", conversation \(runner.loop.conversation.rawValue)") · feedback from \(runner.feedbackTests.rawValue) tests · \(out)")
        let started = Date()
        // A resumed run's wall time adds this sitting to the earlier ones (their report's).
        let earlierWall = earlier > 0 ? BenchRunner.wallSeconds(in: out) ?? 0 : 0
        let session = session
        let selected = problems
        let finished: Interruptible.Outcome<[BenchRecord]>
        do {
            finished = try await session.interruptible(reporting: out) {
                try await runner.run(selected) { state in
                    let rate = state.elapsed > 0 ? Double(state.finishedHere) / state.elapsed : 0
                    let eta = rate > 0 ? Double(state.total - state.done) / rate : 0
                    session.say(String(format: "[%d/%d] passed %d (%.0f%%) · %.2f problems/s · ETA %@", state.done, state.total, state.passed,
                                       Double(state.passed) / Double(max(1, state.done)) * 100, rate, Self.duration(eta)))
                }
            }
        } catch let error as ToolchainError {
            throw AppError(.unavailable, error.description)
        } catch let error as SandboxUnavailable {
            throw AppError(.unavailable, error.description)
        }
        let records = finished.value
        let report = BenchReport(records: records, turns: maxIterations, wallSeconds: earlierWall + Date().timeIntervalSince(started), strategy: runner.loop.strategy.rawValue)
        try (try report.json() + "\n").write(toFile: (out as NSString).appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        let allErrors = records.count == problems.count && records.contains(where: { $0.status == "error" }) && records.allSatisfy({ $0.status != "solved" })
        return (BenchStrategyRun(strategy: runner.loop.strategy, report: report, allErrors: allErrors), finished.interrupted)
    }

    /// A duration as `42s` or `3m05s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
    }
}

/// One executor per language, made on first use and shared by the workers.
actor ExecutorCache {
    let sandbox: any Sandbox
    let limits: ResourceLimits
    var made: [Language: TaskExecutor] = [:]

    init(sandbox: any Sandbox, limits: ResourceLimits) {
        self.sandbox = sandbox
        self.limits = limits
    }

    func executor(for language: Language) async throws -> TaskExecutor {
        if let executor = made[language] { return executor }
        let executor = try await TaskExecutor.make(for: language, sandbox: sandbox, limits: limits)
        made[language] = executor
        return executor
    }
}
