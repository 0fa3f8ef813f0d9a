import ArgumentParser
import Foundation
import SelfDebugBench
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox

/// `selfdebug bench DATA.jsonl` and `selfdebug bench merge DIR...`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark set and report pass rates per turn, tokens and time; merge sharded results.",
        subcommands: [BenchRunCommand.self, BenchMergeCommand.self],
        defaultSubcommand: BenchRunCommand.self)
}

struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a benchmark set (JSONL: id, language, prompt, entry_point, tests, canonical_solution) with N parallel workers; resumes an interrupted run.")

    @Argument(help: "The benchmark set (JSONL).")
    var data: String

    @Option(help: "Run only the first N problems (of this shard).")
    var limit: Int?

    @Option(help: "Problems solved at once.")
    var jobs: Int = 1

    @Option(help: "Run one slice: K/N (1-based), or auto/N to take K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID.")
    var shard: String?

    @Option(name: .customLong("feedback-tests"), help: "Which tests' failures the model is shown: visible (the task's examples; the hidden tests only judge) or hidden (oracle mode).")
    var feedbackTests: String = FeedbackTests.visible.rawValue

    @Option(help: "debug (feedback after each failure), resample (the same model calls spent on fresh samples, no feedback), or both as debug,resample: run on the same problems and shown side by side.")
    var strategy: String = LoopStrategy.debug.rawValue

    @Option(name: .customLong("first-answers-from"), help: "An earlier bench output folder on the same problems: each problem's first answer there is served again to an identical first request (a paired comparison from turn 1 on). Side-by-side strategies do this among themselves unless --unpaired.")
    var firstAnswersFrom: String?

    @Flag(help: "Side-by-side strategies each ask the model for their own first answer (by default later strategies reuse the first strategy's).")
    var unpaired = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        guard let feedback = FeedbackTests(rawValue: feedbackTests) else {
            throw CommandFailure(status: .badInput, description: "--feedback-tests must be visible or hidden, not '\(feedbackTests)'")
        }
        let strategies = try strategy.split(separator: ",").map { name -> LoopStrategy in
            guard let value = LoopStrategy(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw CommandFailure(status: .badInput, description: "--strategy must be debug, resample or debug,resample, not '\(strategy)'")
            }
            return value
        }
        guard !strategies.isEmpty else { throw CommandFailure(status: .badInput, description: "--strategy needs a strategy") }
        let session = try RunSession(modelOptions: modelOptions, runOptions: runOptions)
        var problems: [BenchProblem]
        do {
            problems = try BenchProblem.load(data)
            if let shard { problems = try Shard(shard, environment: ProcessInfo.processInfo.environment).slice(problems) }
        } catch let error as BenchError {
            throw CommandFailure(status: .badInput, description: error.description)
        }
        if let limit {
            guard limit >= 1 else { throw CommandFailure(status: .badInput, description: "--limit must be at least 1") }
            problems = Array(problems.prefix(limit))
        }
        guard jobs >= 1 else { throw CommandFailure(status: .badInput, description: "--jobs must be at least 1") }
        let maxIterations = runOptions.maxIterations ?? 3
        let timeout = runOptions.timeout ?? (problems.first?.language == .swift ? 60 : 10)
        let stem = ((data as NSString).lastPathComponent as NSString).deletingPathExtension
        let out = runOptions.out ?? "selfdebug-runs/bench-\(stem)" + (shard.map { "-shard-" + $0.replacingOccurrences(of: "/", with: "-of-") } ?? "")
        let (model, modelName) = try session.makeModel()
        let sandbox = try session.makeSandbox()
        let limits = try runOptions.limits(timeout: timeout)
        let executors = ExecutorCache(sandbox: sandbox, limits: limits)
        var reports: [(LoopStrategy, Outcome)] = []
        for strategy in strategies {
            var loop = session.configuration(model: modelName, task: TaskSpec(language: .python, solutionFiles: [], tests: [:], maxIterations: maxIterations, body: ""))
            loop.maxIterations = maxIterations
            loop.strategy = strategy
            let folder = strategies.count > 1 ? (out as NSString).appendingPathComponent(strategy.rawValue) : out
            var runner = BenchRunner(model: model, loop: loop, timeout: timeout, jobs: jobs, outDir: folder) { language in
                try await executors.executor(for: language)
            }
            runner.feedbackTests = feedback
            // Later strategies start from the first strategy's first answers: turn 0 is shared,
            // and the columns differ only in what each strategy did after it.
            runner.firstAnswersFrom = reports.isEmpty || unpaired ? firstAnswersFrom
                : (out as NSString).appendingPathComponent(strategies[0].rawValue)
            let report = try await run(runner, problems: problems, session: session, modelName: modelName, model: model, maxIterations: maxIterations)
            reports.append((strategy, report))
            if report.wasInterrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
        }
        if reports.count == 1 {
            let report = reports[0].1.report
            print(runOptions.json ? try report.json() : report.table + "\nresults: \(out)/results.jsonl")
        } else if runOptions.json {
            print("{" + (try reports.map { "\"\($0.0.rawValue)\": " + (try $0.1.report.json()) }.joined(separator: ", ")) + "}")
        } else {
            print(BenchReport.sideBySide(reports.map { ($0.0.rawValue, $0.1.report) }) + "\nresults: " + reports.map { "\(out)/\($0.0.rawValue)/results.jsonl" }.joined(separator: ", "))
        }
        if reports.allSatisfy(\.1.allErrors) { throw ExitCode(ExitStatus.unavailable.rawValue) }
    }

    /// What one strategy's run gave.
    struct Outcome {
        var report: BenchReport
        var wasInterrupted: Bool
        var allErrors: Bool
    }

    func run(_ runner: BenchRunner, problems: [BenchProblem], session: RunSession, modelName: String, model: any ChatModel, maxIterations: Int) async throws -> Outcome {
        let out = runner.outDir
        let earlier = BenchRunner.records(in: out).filter { record in problems.contains { $0.id == record.id } }.count
        if session.talk {
            session.progress.say("selfdebug bench · \(data) · \(problems.count) problems\(earlier > 0 ? " (\(earlier) already done: resuming)" : "") · \(jobs) job\(jobs == 1 ? "" : "s") · model \(modelName) via \(model.providerName) · strategy \(runner.loop.strategy.rawValue) · feedback from \(runner.feedbackTests.rawValue) tests · \(out)")
        }
        let started = Date()
        let progress = session.progress
        let talk = session.talk
        let selected = problems
        let work = Task {
            try await runner.run(selected) { state in
                guard talk else { return }
                let rate = state.elapsed > 0 ? Double(state.finishedHere) / state.elapsed : 0
                let eta = rate > 0 ? Double(state.total - state.done) / rate : 0
                progress.say(String(format: "[%d/%d] passed %d (%.0f%%) · %.2f problems/s · ETA %@", state.done, state.total, state.passed,
                                    Double(state.passed) / Double(max(1, state.done)) * 100, rate, Self.duration(eta)))
            }
        }
        let interrupts = InterruptHandler { work.cancel() }
        let records: [BenchRecord]
        do {
            records = try await work.value
        } catch let error as ToolchainError {
            throw CommandFailure(status: .unavailable, description: error.description)
        } catch let error as SandboxUnavailable {
            throw CommandFailure(status: .unavailable, description: error.description)
        } catch where ExitStatus(for: error) == .internalError {
            throw CommandFailure.internalError(error, runFolder: out)
        }
        let report = BenchReport(records: records, turns: maxIterations, wallSeconds: Date().timeIntervalSince(started), strategy: runner.loop.strategy.rawValue)
        try (try report.json() + "\n").write(toFile: (out as NSString).appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        let allErrors = records.count == problems.count && records.contains(where: { $0.status == "error" }) && records.allSatisfy({ $0.status != "solved" })
        return Outcome(report: report, wasInterrupted: interrupts.wasInterrupted, allErrors: allErrors)
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
    }
}

struct BenchMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the results of benchmark shards (their output folders) into one report, as an unsharded run gives.")

    @Argument(help: "The shards' output folders.")
    var folders: [String]

    @Option(name: .customLong("max-iterations"), help: "Turn columns in the report (default: the most any problem used).")
    var maxIterations: Int?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        guard !folders.isEmpty else { throw CommandFailure(status: .badInput, description: "give the shards' output folders") }
        var records: [BenchRecord] = []
        var wall = 0.0
        for folder in folders {
            let found = BenchRunner.records(in: folder)
            guard !found.isEmpty else { throw CommandFailure(status: .badInput, description: "\(folder) has no results.jsonl") }
            records += found.filter { record in !records.contains { $0.id == record.id } }
            if let data = FileManager.default.contents(atPath: folder + "/report.json"),
               let report = try? JSONDecoder().decode(JSONValue.self, from: data), let seconds = report["wall_seconds"]?.doubleValue {
                wall = max(wall, seconds)
            }
        }
        let report = BenchReport(records: records, turns: maxIterations ?? 0, wallSeconds: wall)
        print(json ? try report.json() : report.table)
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
