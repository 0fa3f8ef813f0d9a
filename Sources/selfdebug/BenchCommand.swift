import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugBench
import SelfDebugCore

/// `selfdebug bench DATA.jsonl`, `selfdebug bench merge DIR...` and `selfdebug bench compare RUN...`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark set and report pass rates per turn, tokens and time; merge sharded results; compare runs.",
        subcommands: [BenchRunCommand.self, BenchMergeCommand.self, BenchCompareCommand.self],
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

    @Option(help: "debug (feedback after each failure), resample (the same model calls spent on fresh samples, no feedback), alternate (debug, but a failed repair is followed by a fresh sample), repair-once (the first failure is repaired once, every later one followed by a fresh sample), or several comma-separated (debug,resample): run on the same problems and shown side by side.")
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
        let merged: BenchComparison.Run
        do {
            merged = try BenchComparison.run(from: "merged=" + folders.joined(separator: "+"))
        } catch let error as BenchError {
            throw AppError(.badInput, error.description)
        }
        let report = BenchReport(records: merged.records, turns: maxIterations ?? 0, wallSeconds: merged.wallSeconds)
        print(json ? try report.json() : report.table)
    }
}

struct BenchCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare benchmark runs side by side on the problems they share, with the problems only some of them solved.",
        discussion: """
        Each run is LABEL=DIR, or DIR (labelled by its last path component); DIR+DIR+... merges a run's shards:
          selfdebug bench compare debug=he-2of8/debug+he-3of8/debug resample=he-2of8/resample+he-3of8/resample
        """)

    @Argument(help: "The runs: [LABEL=]DIR[+DIR...], each the output folder of one strategy's run (OUT/debug, OUT/resample, ...).")
    var runs: [String]

    @Option(name: .customLong("max-iterations"), help: "Turn columns in the report (default: the most any problem used).")
    var maxIterations: Int?

    func run() async throws {
        guard runs.count >= 2 else { throw AppError(.badInput, "give two runs or more to compare (LABEL=DIR, or DIR)") }
        let comparison: BenchComparison
        do {
            comparison = BenchComparison(try runs.map(BenchComparison.run(from:)))
        } catch let error as BenchError {
            throw AppError(.badInput, error.description)
        }
        guard comparison.runs.first?.records.isEmpty == false else { throw AppError(.badInput, "the runs share no problem") }
        print(comparison.text(turns: maxIterations ?? 0))
    }
}
