import Foundation
import SelfDebugCore

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
    /// Which tests gave the feedback: `visible` (honest) or `hidden` (oracle).
    public var feedbackTests: String
    /// `debug`, `resample` or `alternate`.
    public var strategy: String
    /// What the model saw of earlier turns (``ConversationStyle``) in a debugging run, `mixed`
    /// when its records differ (a run resumed by a selfdebug with another default); absent for
    /// resampling and for records that predate it.
    public var conversation: String?
    /// Honest mode: problems whose submitted version passed the visible examples and failed the hidden tests.
    public var passedVisibleFailedHidden: Int?
    /// Honest mode: problems with no examples to show (their feedback was only "the hidden tests failed").
    public var withoutExamples: Int?
    /// Model calls in all (absent when a record predates the count).
    public var llmCalls: Int?
    /// Problems whose first answer was an earlier run's (paired with it from turn 1 on; absent
    /// when none was).
    public var pairedFirstAnswers: Int?
    /// Honest mode: the prompts' examples left out because the reference solution fails them
    /// (``VisibleTests/vetted(_:timeout:run:)``), in all; absent when none were.
    public var examplesLeftOut: Int?
    /// Problems whose first hidden assert was shown in the prompt (`--show-first-test`); absent
    /// when none was. Their pass rates are not the set's published ones.
    public var firstTestShown: Int?

    /// The report over `records`, with `turns` columns (at least the most turns any record used).
    public init(records: [BenchRecord], turns: Int, wallSeconds: Double, strategy: String = LoopStrategy.debug.rawValue) {
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
        let modes = Set(records.map { $0.feedbackTests ?? FeedbackTests.hidden.rawValue })
        feedbackTests = modes.count == 1 ? modes.first! : modes.isEmpty ? FeedbackTests.visible.rawValue : "mixed"
        self.strategy = strategy
        let calls = records.compactMap(\.llmCalls)
        llmCalls = calls.count == records.count && !records.isEmpty ? calls.reduce(0, +) : nil
        let paired = records.filter { $0.pairedFirstAnswer == true }.count
        pairedFirstAnswers = paired > 0 ? paired : nil
        let conversations = Set(records.map(\.conversation))
        conversation = conversations == [nil] ? nil : conversations.count == 1 ? conversations.first! : "mixed"
        let shown = records.filter { $0.firstTestShown == true }.count
        firstTestShown = shown > 0 ? shown : nil
        if feedbackTests == FeedbackTests.visible.rawValue {
            passedVisibleFailedHidden = records.filter { $0.visiblePassed == true && $0.status != "solved" }.count
            withoutExamples = records.filter { $0.hadExamples == false }.count
            let leftOut = records.reduce(0) { $0 + ($1.examplesLeftOut ?? 0) }
            examplesLeftOut = leftOut > 0 ? leftOut : nil
        }
    }

    /// The report as a table.
    public var table: String {
        var lines = ["strategy \(strategy)\(conversation.map { ", conversation \($0)" } ?? ""); feedback from the \(feedbackTests == "visible" ? "visible tests (the task's examples; hidden tests only judge)" : feedbackTests == "hidden" ? "hidden tests (oracle mode)" : "mixed tests")", "",
                     "turn  passed  pass rate"]
        for (turn, passed) in passedByTurn.enumerated() {
            let rate = problems == 0 ? 0 : Double(passed) / Double(problems) * 100
            lines.append(String(format: "%4d  %6d  %8.1f%%", turn, passed, rate))
        }
        let solved = passedByTurn.last ?? 0
        let tokens = promptTokens + completionTokens
        lines.append("")
        lines.append("problems \(problems), solved \(solved), errors \(errors)")
        if let passedVisibleFailedHidden, let withoutExamples {
            lines.append("passed the examples but failed the hidden tests: \(passedVisibleFailedHidden); problems without examples (told only that the hidden tests failed): \(withoutExamples)")
            if let examplesLeftOut { lines.append("examples left out (the reference solution fails them): \(examplesLeftOut)") }
        }
        lines.append("tokens \(tokens) (prompt \(promptTokens), completion \(completionTokens)); "
            + "per problem \(problems == 0 ? 0 : tokens / problems), per solved problem \(solved == 0 ? 0 : tokens / solved)")
        if let firstTestShown {
            lines.append("first hidden assert shown in the prompt as an example (--show-first-test): \(firstTestShown) of \(problems) problems")
        }
        if let pairedFirstAnswers {
            lines.append("first answer shared with an earlier run (paired from turn 1 on): \(pairedFirstAnswers) of \(problems) problems")
        }
        lines.append(String(format: "wall %.1f s; in problems %.1f s (running code %.1f s, waiting for the model %.1f s, the agent itself %.1f s)",
                            wallSeconds, problemSeconds, execSeconds, llmSeconds, max(0, problemSeconds - execSeconds - llmSeconds)))
        return lines.joined(separator: "\n")
    }

    /// The width of each column of a side-by-side report with these labels.
    static func columnWidth(_ labels: [String]) -> Int { max(12, labels.map(\.count).max() ?? 0) + 2 }

    /// One line of a side-by-side report: its label, then each cell right-aligned in `width`.
    static func row(_ label: String, _ cells: [String], width: Int) -> String {
        label.padding(toLength: 30, withPad: " ", startingAt: 0) + cells.map { String(repeating: " ", count: max(0, width - $0.count)) + $0 }.joined()
    }

    /// Reports of several strategies on the same problems, one column each.
    public static func sideBySide(_ reports: [(String, BenchReport)]) -> String {
        guard let first = reports.first?.1 else { return "" }
        let width = columnWidth(reports.map(\.0))
        func row(_ label: String, _ cells: [String]) -> String { Self.row(label, cells, width: width) }
        var lines = ["\(first.problems) problems; feedback from the \(first.feedbackTests) tests" + (first.feedbackTests == "visible" ? " (hidden tests only judge)" : " (oracle mode)"), "",
                     row("", reports.map(\.0))]
        let turns = reports.map { $0.1.passedByTurn.count }.max() ?? 0
        for turn in 0..<turns {
            lines.append(row(turn == 0 ? "pass@1, turn 0" : "after \(turn) turn\(turn == 1 ? "" : "s")", reports.map { _, report in
                let passed = report.passedByTurn.indices.contains(turn) ? report.passedByTurn[turn] : (report.passedByTurn.last ?? 0)
                return String(format: "%d (%.1f%%)", passed, report.problems == 0 ? 0 : Double(passed) / Double(report.problems) * 100)
            }))
        }
        lines.append(row("tokens per problem", reports.map { "\($0.1.problems == 0 ? 0 : ($0.1.promptTokens + $0.1.completionTokens) / $0.1.problems)" }))
        lines.append(row("tokens per solved problem", reports.map { let solved = $0.1.passedByTurn.last ?? 0; return "\(solved == 0 ? 0 : ($0.1.promptTokens + $0.1.completionTokens) / solved)" }))
        if reports.allSatisfy({ $0.1.llmCalls != nil }) {
            lines.append(row("model calls per problem", reports.map { String(format: "%.2f", Double($0.1.llmCalls ?? 0) / Double(max(1, $0.1.problems))) }))
        }
        lines.append(row("wall minutes", reports.map { String(format: "%.1f", $0.1.wallSeconds / 60) }))
        if reports.contains(where: { $0.1.passedVisibleFailedHidden != nil }) {
            lines.append(row("passed examples, failed hidden", reports.map { "\($0.1.passedVisibleFailedHidden ?? 0)" }))
        }
        if reports.contains(where: { $0.1.pairedFirstAnswers != nil }) {
            // Turn 0 is then the same answer in every column: the later turns compare the strategies.
            lines.append(row("first answer shared (paired)", reports.map { $0.1.pairedFirstAnswers.map { "\($0) of \(first.problems)" } ?? "-" }))
        }
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
