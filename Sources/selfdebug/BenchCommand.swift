import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugBench
import SelfDebugCore

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

    @Option(help: "debug (feedback after each failure), resample (the same model calls spent on fresh samples, no feedback), alternate (debug, but a failed repair is followed by a fresh sample), or several comma-separated (debug,resample): run on the same problems and shown side by side.")
    var strategy: String = LoopStrategy.debug.rawValue

    @Option(name: .customLong("first-answers-from"), help: "An earlier bench output folder on the same problems: each problem's first answer there is served again to an identical first request (a paired comparison from turn 1 on). Side-by-side strategies do this among themselves unless --unpaired.")
    var firstAnswersFrom: String?

    @Flag(help: "Side-by-side strategies each ask the model for their own first answer (by default later strategies reuse the first strategy's).")
    var unpaired = false

    @Flag(name: .customLong("show-first-test"), help: "Swift problems whose prompts have no example (MultiPL-E's MBPP): show the first hidden assert in the prompt as one, as MBPP's own prompts do; it becomes the visible test and still judges. Reports count these problems.")
    var showFirstTest = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        var request = BenchService.Request(data: data)
        request.feedbackTests = try BenchService.Request.feedbackTests(feedbackTests)
        request.strategies = try BenchService.Request.strategies(strategy)
        request.limit = limit
        request.jobs = jobs
        request.shard = shard
        request.firstAnswersFrom = firstAnswersFrom
        request.paired = !unpaired
        request.showFirstTest = showFirstTest
        let run = try TerminalRun(modelOptions: modelOptions, runOptions: runOptions)
        let outcome = try await BenchService(session: run.session).run(request)
        // An interrupted benchmark is resumed, not reported: its records stay in the output folder.
        if outcome.interrupted { try TerminalRun.exit(with: outcome.exitStatus) }
        let out = outcome.out
        if outcome.runs.count == 1 {
            let report = outcome.runs[0].report
            print(runOptions.json ? try report.json() : report.table + "\nresults: \(out)/results.jsonl")
        } else if runOptions.json {
            print("{" + (try outcome.runs.map { "\"\($0.strategy.rawValue)\": " + (try $0.report.json()) }.joined(separator: ", ")) + "}")
        } else {
            print(BenchReport.sideBySide(outcome.runs.map { ($0.strategy.rawValue, $0.report) }) + "\nresults: "
                + outcome.runs.map { "\(out)/\($0.strategy.rawValue)/results.jsonl" }.joined(separator: ", "))
        }
        try TerminalRun.exit(with: outcome.exitStatus)
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
        guard !folders.isEmpty else { throw AppError(.badInput, "give the shards' output folders") }
        var records: [BenchRecord] = []
        var wall = 0.0
        for folder in folders {
            let found = BenchRunner.records(in: folder)
            guard !found.isEmpty else { throw AppError(.badInput, "\(folder) has no results.jsonl") }
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
