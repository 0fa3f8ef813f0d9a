import Foundation

/// Benchmark runs compared on the problems they share: the side-by-side report, the problems on
/// which they disagree (who solved each, at which turn), and for each pair of runs how many
/// problems only one of them solved. On 20-odd problems two strategies a problem apart are
/// within the noise; the pairwise counts show whether a lead is one lucky problem or many.
public struct BenchComparison: Sendable {
    /// One run: a label and its records (merged from its shards' folders).
    public struct Run: Sendable {
        /// The column's name.
        public var label: String
        /// The run's records, one per problem.
        public var records: [BenchRecord]
        /// The longest wall time of its shards, in seconds.
        public var wallSeconds: Double
        /// Each problem's versions after its first answer, read from its run folder (problems
        /// whose folder is gone are missing).
        public var followUps: [String: FollowUpVersions]

        /// Creates a run.
        public init(label: String, records: [BenchRecord], wallSeconds: Double = 0, followUps: [String: FollowUpVersions] = [:]) {
            self.label = label
            self.records = records
            self.wallSeconds = wallSeconds
            self.followUps = followUps
        }
    }

    /// The runs, each cut to the problems every run has.
    public let runs: [Run]
    /// Problems some runs have and others do not (left out of the comparison).
    public let leftOut: Int

    /// Compares `runs` on the problems they all have.
    public init(_ runs: [Run]) {
        let sets = runs.map { Set($0.records.map(\.id)) }
        let shared = sets.dropFirst().reduce(sets.first ?? []) { $0.intersection($1) }
        let every = runs.reduce(into: Set<String>()) { $0.formUnion($1.records.map(\.id)) }
        self.runs = runs.map {
            Run(label: $0.label, records: $0.records.filter { shared.contains($0.id) }, wallSeconds: $0.wallSeconds,
                followUps: $0.followUps.filter { shared.contains($0.key) })
        }
        leftOut = every.count - shared.count
    }

    /// Reads each run from its folders (`LABEL=DIR+DIR...`, or `DIR`, labelled by its last path
    /// component): every folder's `results.jsonl`, a problem's first record kept, and the
    /// versions after its first answer from its run folder there.
    public static func run(from argument: String) throws -> Run {
        let (label, spec) = argument.firstIndex(of: "=").map { (String(argument[..<$0]), String(argument[argument.index(after: $0)...])) }
            ?? ((argument as NSString).lastPathComponent, argument)
        var records: [BenchRecord] = []
        var seen = Set<String>()
        var wall = 0.0
        var followUps: [String: FollowUpVersions] = [:]
        for folder in spec.split(separator: "+").map(String.init) {
            let found = BenchRunner.records(in: folder)
            guard !found.isEmpty else { throw BenchError(description: "\(folder) has no results.jsonl: give the output folder of one strategy's run (OUT/debug, OUT/resample, ...)") }
            for record in found where seen.insert(record.id).inserted {
                records.append(record)
                let problem = (folder as NSString).appendingPathComponent("problems/" + BenchProblem.folderName(for: record.id))
                followUps[record.id] = FollowUpVersions(runFolder: problem)
            }
            wall = max(wall, BenchRunner.wallSeconds(in: folder) ?? 0)
        }
        return Run(label: label, records: records, wallSeconds: wall, followUps: followUps)
    }

    /// The two-sided exact sign test (McNemar's test on paired outcomes): of the `first + second`
    /// problems only one of two runs solved, the chance that a coin would split them at least as
    /// unevenly. A lead of 4 to 2 gives 0.69: no evidence either way.
    public static func signTestP(_ first: Int, _ second: Int) -> Double {
        let n = first + second
        guard n > 0 else { return 1 }
        var choose = 1.0  // C(n, k), from k = 0
        var tail = 0.0
        for k in 0...min(first, second) {
            if k > 0 { choose = choose * Double(n - k + 1) / Double(k) }
            tail += choose
        }
        return min(1, 2 * tail / pow(2, Double(n)))
    }

    /// The turn a run solved `id` at, nil when it did not.
    static func solvedTurn(_ run: Run, _ id: String) -> Int? {
        run.records.first { $0.id == id }.flatMap { $0.status == "solved" ? ($0.solvedAtTurn ?? 0) : nil }
    }

    /// The comparison as text: the side-by-side report, the problems the runs disagree on, and
    /// for each pair of runs the problems only one of them solved.
    public func text(turns: Int) -> String {
        let reports = runs.map { ($0.label, BenchReport(records: $0.records, turns: turns, wallSeconds: $0.wallSeconds)) }
        var lines = [BenchReport.sideBySide(reports)]
        if runs.allSatisfy({ $0.followUps.count == $0.records.count }), runs.contains(where: { !$0.followUps.isEmpty }) {
            let totals = runs.map { $0.followUps.values.reduce(FollowUpVersions(), +) }
            let width = BenchReport.columnWidth(runs.map(\.label))
            lines.append(BenchReport.row("later versions passing hidden", totals.map(\.hiddenRate), width: width))
            lines.append(BenchReport.row("model minutes after 1st call", totals.map { String(format: "%.1f", $0.modelSeconds / 60) }, width: width))
        }
        if leftOut > 0 { lines.append(leftOut == 1 ? "(1 problem not in every run is left out)" : "(\(leftOut) problems not in every run are left out)") }
        let ids = runs.first?.records.map(\.id) ?? []
        let disputed = ids.filter { id in Set(runs.map { Self.solvedTurn($0, id) != nil }).count > 1 }
        lines += ["", disputed.isEmpty ? "Every run solved the same problems." : "Problems solved by some runs only (the turn each solved it at; - not solved):"]
        let width = max(16, (disputed.map(\.count).max() ?? 0) + 2)
        for id in disputed {
            lines.append("  " + id.padding(toLength: width, withPad: " ", startingAt: 0)
                + runs.map { "\($0.label) \(Self.solvedTurn($0, id).map(String.init) ?? "-")" }.joined(separator: "  "))
        }
        if runs.count > 1 {
            lines += ["", "Solved by one of two runs only (p: the chance of a split at least this uneven if the two were equally good, exact sign test):"]
            for (index, first) in runs.enumerated() {
                for second in runs.dropFirst(index + 1) {
                    let onlyFirst = ids.filter { Self.solvedTurn(first, $0) != nil && Self.solvedTurn(second, $0) == nil }.count
                    let onlySecond = ids.filter { Self.solvedTurn(first, $0) == nil && Self.solvedTurn(second, $0) != nil }.count
                    lines.append("  \(first.label) \(onlyFirst), \(second.label) \(onlySecond)"
                        + String(format: " (p = %.2f)", Self.signTestP(onlyFirst, onlySecond)))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
