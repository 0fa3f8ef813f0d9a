import Foundation
import SelfDebugCore
import SelfDebugEngineer

/// Runs benchmark problems with N parallel workers, one run folder each, appending one record per
/// finished problem to `results.jsonl`, so an interrupted benchmark resumes where it stopped.
public struct BenchRunner: Sendable {
    /// Problems solved at once.
    public var jobs: Int
    /// The loop's settings; `maxIterations` is the turn budget of each problem.
    public var loop: EngineerLoop.Configuration
    /// Seconds for one sandboxed run.
    public var timeout: Double
    /// Where `results.jsonl` and `problems/<id>/` go.
    public var outDir: String
    /// Which tests the model is shown failures of (honest `visible` by default).
    public var feedbackTests: FeedbackTests = .visible
    /// The output folder of an earlier run on the same problems (another strategy, or an
    /// ablation), whose first answer to each problem is served again to this run's identical first
    /// request (``PairedFirstAnswer``): a paired comparison from turn 1 on.
    public var firstAnswersFrom: String?
    let model: any ChatModel
    let executor: @Sendable (Language) async throws -> any Executor

    /// Creates a runner that asks `model` and runs code with the executor made for each language.
    public init(model: any ChatModel, loop: EngineerLoop.Configuration, timeout: Double, jobs: Int, outDir: String,
                executor: @escaping @Sendable (Language) async throws -> any Executor) {
        self.model = model
        self.loop = loop
        self.timeout = timeout
        self.jobs = max(1, jobs)
        self.outDir = outDir
        self.executor = executor
    }

    /// Progress after each problem.
    public struct Progress: Sendable {
        /// Problems finished, in this run and before it.
        public var done: Int
        /// Problems in all.
        public var total: Int
        /// Problems solved so far.
        public var passed: Int
        /// Problems finished in this run, and the seconds it has taken.
        public var finishedHere: Int
        /// Seconds since this run started.
        public var elapsed: Double
    }

    var resultsPath: String { (outDir as NSString).appendingPathComponent("results.jsonl") }

    /// The wall time an output folder's `report.json` gives, when it has one.
    public static func wallSeconds(in outDir: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: (outDir as NSString).appendingPathComponent("report.json")),
              let report = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        return report["wall_seconds"]?.doubleValue
    }

    /// The records already in `results.jsonl` (a resumed benchmark skips their problems).
    public static func records(in outDir: String) -> [BenchRecord] {
        let path = (outDir as NSString).appendingPathComponent("results.jsonl")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var byID: [String: BenchRecord] = [:]
        var order: [String] = []
        for line in text.split(separator: "\n") {
            guard let record = try? decoder.decode(BenchRecord.self, from: Data(line.utf8)) else { continue }
            if byID[record.id] == nil { order.append(record.id) }
            byID[record.id] = record
        }
        return order.compactMap { byID[$0] }
    }

    /// Runs the problems not yet recorded; returns every record for `problems` (old and new).
    public func run(_ problems: [BenchProblem], progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> [BenchRecord] {
        try FileManager.default.createDirectory(atPath: outDir + "/problems", withIntermediateDirectories: true)
        let wanted = Set(problems.map(\.id))
        let earlier = Self.records(in: outDir).filter { wanted.contains($0.id) }
        let finished = Set(earlier.map(\.id))
        let pending = problems.filter { !finished.contains($0.id) }
        let writer = try RecordWriter(path: resultsPath)
        let tally = Tally(done: earlier.count, passed: earlier.filter { $0.status == "solved" }.count)
        let started = Date()
        var records = earlier
        try await withThrowingTaskGroup(of: BenchRecord?.self) { group in
            var next = pending.makeIterator()
            func startNext() {
                guard let problem = next.next() else { return }
                group.addTask { try await self.solve(problem) }
            }
            for _ in 0..<jobs { startNext() }
            while let record = try await group.next() {
                if let record {
                    try writer.append(record)
                    records.append(record)
                    let (done, passed, here) = tally.add(solved: record.status == "solved")
                    progress(Progress(done: done, total: problems.count, passed: passed, finishedHere: here, elapsed: Date().timeIntervalSince(started)))
                }
                if Task.isCancelled { group.cancelAll(); break }
                startNext()
            }
        }
        let order = Dictionary(uniqueKeysWithValues: problems.enumerated().map { ($1.id, $0) })
        return records.sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
    }

    /// One problem in its own run folder; nil when it was interrupted (so a resume redoes it).
    func solve(_ problem: BenchProblem) async throws -> BenchRecord? {
        let folder = (outDir as NSString).appendingPathComponent("problems/" + problem.folderName)
        try? FileManager.default.removeItem(atPath: folder)  // an interrupted attempt starts over
        let runFolder = try RunFolder.create(out: folder, slug: problem.folderName)
        var executor = try await executor(problem.language)
        // Oracle mode runs the hidden tests, and the task ignores visible ones.
        var visible: VisibleTests?
        var examplesLeftOut = 0
        if feedbackTests == .visible {
            let inner = executor
            (visible, examplesLeftOut) = try await VisibleTests.vetted(problem, timeout: timeout) { try await inner.run($0) }
            // `--feedback trace`: the failing example's trace comes with its report.
            if loop.feedbackMode == .trace, problem.language == .python { visible = visible?.traced() }
        }
        let task = problem.task(maxIterations: loop.maxIterations, timeout: timeout, feedback: feedbackTests, visibleTests: visible)
        let recorder = try JSONLinesRecorder(path: runFolder.trajectory)
        let hadExamples = task.verification == .program(examplesOnly: true)
        if feedbackTests == .visible {
            executor = JudgedExecutor(inner: executor, hiddenTests: problem.tests, hasExamples: hadExamples)
        }
        var paired: PairedFirstAnswer?
        if let firstAnswersFrom,
           let first = PairedFirstAnswer.firstReplies(inRunFolder: (firstAnswersFrom as NSString).appendingPathComponent("problems/" + problem.folderName)) {
            paired = PairedFirstAnswer(first: first, live: model)
        }
        let model: any ChatModel = paired ?? self.model
        let result = try await EngineerLoop(task: task, configuration: loop, model: model, executor: executor, recorder: recorder).run()
        try runFolder.finish(result)
        let summary = result.summary
        if summary.stopReason == .interrupted { return nil }
        // Honest mode: the submitted version (the one that passed the examples, else the best) is
        // judged by the hidden tests alone.
        let solved = feedbackTests == .visible ? result.outcome?.judgedVerdict == .passed : summary.status == .solved
        var record = BenchRecord(
            id: problem.id, status: solved ? "solved" : summary.status == .error ? "error" : "unsolved",
            solvedAtTurn: solved ? max(0, summary.solutionIteration - 1) : nil,
            iterations: summary.iterations, promptTokens: summary.promptTokens, completionTokens: summary.completionTokens,
            wallSeconds: summary.wallSeconds, execSeconds: summary.execSeconds, llmSeconds: summary.llmSeconds,
            runDir: folder, error: summary.error)
        record.feedbackTests = feedbackTests.rawValue
        record.llmCalls = summary.llmCalls
        if let paired { record.pairedFirstAnswer = paired.servedFirstAnswer }
        record.firstTestShown = problem.firstTestShown
        if loop.strategy != .resample { record.conversation = loop.conversation.rawValue }
        if feedbackTests == .visible {
            record.hadExamples = hadExamples
            record.visiblePassed = result.outcome?.passed ?? false
            if examplesLeftOut > 0 { record.examplesLeftOut = examplesLeftOut }
        }
        return record
    }
}

/// Appends records to `results.jsonl`, one line each, synced.
final class RecordWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw BenchError(description: "cannot write \(path)") }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError(description: "cannot write \(path)") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit { try? handle.close() }

    func append(_ record: BenchRecord) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(record)
        line.append(10)
        try lock.withLock {
            try handle.write(contentsOf: line)
            try handle.synchronize()
        }
    }
}

final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var done: Int
    private var passed: Int
    private var here = 0

    init(done: Int, passed: Int) {
        self.done = done
        self.passed = passed
    }

    func add(solved: Bool) -> (Int, Int, Int) {
        lock.withLock {
            done += 1
            here += 1
            if solved { passed += 1 }
            return (done, passed, here)
        }
    }
}

/// Which slice of a benchmark this process runs: `--shard K/N`, or N with K from a Kubernetes
/// Indexed Job (`JOB_COMPLETION_INDEX`) or a Slurm array (`SLURM_ARRAY_TASK_ID`).
public struct Shard: Sendable, Equatable {
    /// This shard, 1-based.
    public var index: Int
    /// Shards in all.
    public var count: Int

    /// Parses `K/N` (1-based K) or `auto/N`, taking K from the environment.
    public init(_ text: String, environment: [String: String]) throws {
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count == 2, let count = Int(parts[1]), count >= 1 else {
            throw BenchError(description: "--shard must be K/N (e.g. 2/4) or auto/N, not '\(text)'")
        }
        var index: Int
        if parts[0] == "auto" {
            if let value = environment["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
                index = value + 1
            } else if let value = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) {
                index = value - (environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0) + 1
            } else {
                throw BenchError(description: "--shard auto/\(count) needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array)")
            }
        } else {
            guard let value = Int(parts[0]) else { throw BenchError(description: "--shard must be K/N (e.g. 2/4), not '\(text)'") }
            index = value
        }
        guard index >= 1, index <= count else { throw BenchError(description: "shard \(index) is not between 1 and \(count)") }
        self.index = index
        self.count = count
    }

    /// The problems of this shard: every Nth, deterministic, in file order.
    public func slice<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
