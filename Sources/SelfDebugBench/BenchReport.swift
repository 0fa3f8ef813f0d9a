import Foundation

/// Pass rates per turn, tokens and time over a set of problem records.
public struct BenchReport: Codable, Sendable, Equatable {
    /// Problems in the report.
    public var problems: Int
    /// `passed_by_turn[k]`: problems whose code passed by turn k (pass@1 at turn 0, after k debugging turns).
    public var passedByTurn: [Int]
    /// Prompt tokens in all.
    public var promptTokens: Int
    /// Completion tokens in all.
    public var completionTokens: Int
    /// Seconds the benchmark took (for a merge: the longest shard).
    public var wallSeconds: Double
    /// Seconds spent in problems, added up (work, not elapsed time).
    public var problemSeconds: Double
    /// Seconds running code, added up.
    public var execSeconds: Double
    /// Seconds waiting for the model, added up.
    public var llmSeconds: Double
    /// Problems that ended with an error (model or sandbox).
    public var errors: Int

    /// The report over `records`, with `turns` columns (at least the most turns any record used).
    public init(records: [BenchRecord], turns: Int, wallSeconds: Double) {
        problems = records.count
        let columns = max(turns, (records.map(\.iterations).max() ?? 0), 1)
        passedByTurn = (0..<columns).map { turn in records.filter { ($0.solvedAtTurn ?? Int.max) <= turn }.count }
        promptTokens = records.reduce(0) { $0 + $1.promptTokens }
        completionTokens = records.reduce(0) { $0 + $1.completionTokens }
        self.wallSeconds = wallSeconds
        problemSeconds = records.reduce(0) { $0 + $1.wallSeconds }
        execSeconds = records.reduce(0) { $0 + $1.execSeconds }
        llmSeconds = records.reduce(0) { $0 + $1.llmSeconds }
        errors = records.filter { $0.status == "error" }.count
    }

    /// The report as a table.
    public var table: String {
        var lines = ["turn  passed  pass rate"]
        for (turn, passed) in passedByTurn.enumerated() {
            let rate = problems == 0 ? 0 : Double(passed) / Double(problems) * 100
            lines.append(String(format: "%4d  %6d  %8.1f%%", turn, passed, rate))
        }
        let solved = passedByTurn.last ?? 0
        let tokens = promptTokens + completionTokens
        lines.append("")
        lines.append("problems \(problems), solved \(solved), errors \(errors)")
        lines.append("tokens \(tokens) (prompt \(promptTokens), completion \(completionTokens)); "
            + "per problem \(problems == 0 ? 0 : tokens / problems), per solved problem \(solved == 0 ? 0 : tokens / solved)")
        lines.append(String(format: "wall %.1f s; in problems %.1f s (running code %.1f s, waiting for the model %.1f s, the agent itself %.1f s)",
                            wallSeconds, problemSeconds, execSeconds, llmSeconds, max(0, problemSeconds - execSeconds - llmSeconds)))
        return lines.joined(separator: "\n")
    }

    /// The report as SPEC's JSON (snake_case keys).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
