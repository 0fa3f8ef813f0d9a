import Foundation

/// Turns an ``ExecOutcome`` into text the model can act on: what failed, where, with which values,
/// most important first, within a character budget, saying what was cut.
public struct FeedbackBuilder: Sendable {
    /// The most characters the feedback may have (about four per token).
    public var budget: Int
    /// The most characters of raw output quoted when nothing better was parsed.
    public var rawOutputBudget: Int
    /// Files whose lines a traceback names but does not quote. A fresh answer is not shown the
    /// failing code, and a small model copies a quoted line back word for word (HumanEval/86: six
    /// answers of six to a fresh repair quoting it repeated it, six of six without the quote differed).
    public var unquotedFiles: Set<String>

    /// Creates a builder.
    public init(budget: Int = 6000, rawOutputBudget: Int = 2000, unquotedFiles: Set<String> = []) {
        self.budget = budget
        self.rawOutputBudget = rawOutputBudget
        self.unquotedFiles = unquotedFiles
    }

    /// The feedback for `outcome`; in `simple` mode only its headline.
    public func feedback(for outcome: ExecOutcome, task: TaskSpec, mode: FeedbackMode = .tests) -> String {
        var sections: [String] = []
        sections.append(headline(outcome, task: task))
        if mode == .simple { return sections[0] }
        sections += outcome.notes
        switch outcome.verdict {
        case .buildFailed:
            sections += diagnosticsSections(outcome)
        case .testsFailed, .timedOut, .crashed:
            sections += failureSections(outcome)
        case .noTests:
            if outcome.tests.isEmpty { sections.append(rawOutput(outcome)) }
        case .passed, .interrupted:
            break
        }
        if let skipped = skippedSection(outcome) { sections.append(skipped) }
        if outcome.verdict != .passed, outcome.verdict != .buildFailed {
            let warnings = outcome.diagnostics.filter { $0.severity == "error" }
            if !warnings.isEmpty { sections += diagnosticsSections(outcome) }
        }
        return fit(sections.filter { !$0.isEmpty })
    }

    func headline(_ outcome: ExecOutcome, task: TaskSpec) -> String {
        let total = outcome.testCount
        let failed = outcome.failedCount
        let timeout = outcome.runs.first(where: \.timedOut)
        switch outcome.verdict {
        case .passed:
            let skipped = outcome.skippedCount
            return skipped == 0 ? "All \(total) tests passed."
                : "All \(outcome.passedCount) tests that ran passed; \(skipped) \(skipped == 1 ? "was" : "were") skipped by the tests themselves."
        case .buildFailed:
            let errors = outcome.diagnostics.filter { $0.severity == "error" }.count
            let what = task.language == .swift ? "The code did not compile" : "The code could not be loaded"
            return errors > 0 ? "\(what) (\(errors) error\(errors == 1 ? "" : "s"))." : "\(what)."
        case .testsFailed:
            let skipped = outcome.skippedCount
            return "\(failed) of \(total) tests failed" + (skipped == 0 ? "." : " (\(skipped) skipped: a skipped test is not a passed one).")
        case .timedOut:
            let limit = timeout?.limitsHit.first ?? "timed out after \(Self.seconds(task.timeout))"
            return "The run was stopped: \(limit); the whole process tree was killed. "
                + "\(outcome.passedCount) of \(total) tests had passed. Look for an infinite loop or a very slow algorithm."
        case .crashed:
            let run = outcome.runs.last
            let cause = run?.limitsHit.first ?? run?.signal.map { "killed by signal \($0) (\(Self.signalName($0)))" } ?? "crashed"
            return "The test process crashed: \(cause). \(outcome.passedCount) of \(total) tests had passed before it."
        case .noTests:
            let skipped = outcome.skippedCount
            if skipped > 0 {
                return "No test ran to its end: \(skipped == total ? "all \(total)" : "\(skipped) of \(total)") test\(total == 1 ? " was" : "s were") skipped, and a skipped test is not a passed one."
            }
            return "No test ran: the test run produced no results."
        case .interrupted:
            return "The run was interrupted (selfdebug was stopped); it says nothing about the code."
        }
    }

    func diagnosticsSections(_ outcome: ExecOutcome) -> [String] {
        var seen = Set<String>()
        var sections: [String] = []
        let ordered = outcome.diagnostics.filter { $0.severity == "error" } + outcome.diagnostics.filter { $0.severity != "error" && $0.severity != "note" }
        for diagnostic in ordered {
            let key = "\(diagnostic.location)|\(diagnostic.message)"
            guard seen.insert(key).inserted else { continue }
            var text = "\(diagnostic.location): \(diagnostic.severity): \(diagnostic.message)"
            if let source = diagnostic.sourceLine, !source.trimmingCharacters(in: .whitespaces).isEmpty {
                text += "\n    \(source)"
                if let column = diagnostic.column, column > 0 {
                    text += "\n    " + String(repeating: " ", count: column - 1) + "^"
                }
            }
            for note in diagnostic.notes.prefix(3) { text += "\n  note: \(note)" }
            sections.append(text)
        }
        if sections.isEmpty { sections.append(rawOutput(outcome)) }
        return sections
    }

    /// The tests the tests themselves skipped, with their reasons: the model must know they did not run.
    func skippedSection(_ outcome: ExecOutcome) -> String? {
        let skipped = outcome.tests.filter { $0.outcome == .skipped && $0.flaky != true }
        guard !skipped.isEmpty else { return nil }
        var text = "Skipped (these tests did not run, so they prove nothing):"
        for test in skipped.prefix(10) {
            text += "\n  SKIPPED \(test.name)" + (test.message.map { ": " + Self.clip($0, 200) } ?? "")
        }
        if skipped.count > 10 { text += "\n  ... and \(skipped.count - 10) more" }
        return text
    }

    func failureSections(_ outcome: ExecOutcome) -> [String] {
        var sections: [String] = []
        let failing = outcome.tests.filter(\.failedToPass)
        for test in failing {
            var text = "\(Self.label(test.outcome)) \(test.name)"
            if let location = test.location { text += " (\(location))" }
            if let message = test.message, !message.isEmpty {
                // Room for every failing example of a task and a trace of the first (`--feedback trace`).
                text += "\n" + Self.indent(Self.clip(message, 2400), by: 2)
            }
            for detail in test.details.prefix(6) {
                // A trace (an examples program's note on a raising call) has the room a message has.
                text += "\n" + Self.indent(Self.clip(detail, detail.hasPrefix(Prompts.traceHeading) ? 2400 : 400), by: 4)
            }
            if !test.traceback.isEmpty {
                text += "\n  traceback (most recent call last):"
                for frame in test.traceback.suffix(6) {
                    text += "\n    \(frame.file):\(frame.line) in \(frame.function)"
                    if let code = frame.code, !code.isEmpty, !unquotedFiles.contains(frame.file) { text += "\n      \(code.trimmingCharacters(in: .whitespaces))" }
                }
            }
            if let output = test.output, !output.isEmpty {
                text += "\n  it printed:\n" + Self.indent(Self.clip(output, 600), by: 4)
            }
            sections.append(text)
        }
        if failing.isEmpty || outcome.verdict == .crashed || (outcome.verdict == .timedOut && failing.allSatisfy { $0.message == nil }) {
            sections.append(rawOutput(outcome))
        }
        return sections
    }

    /// The tail of the last run's output, with its cut said.
    func rawOutput(_ outcome: ExecOutcome) -> String {
        guard let run = outcome.runs.last else { return "" }
        var combined = [run.stdout.text, run.stderr.text].filter { !$0.isEmpty }.joined(separator: "\n")
        // Runtime stack dumps (addresses in the runtime and XCTest) tell the model nothing.
        combined = combined.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Current stack trace:") && $0.range(of: #"^\d+\s+\S+\s+0x[0-9a-f]+ "#, options: .regularExpression) == nil }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !combined.isEmpty else { return "The process printed nothing." }
        var text = "Output of `\(run.command.last.map { ($0 as NSString).lastPathComponent } ?? "the run")`"
        if run.stdout.truncated || run.stderr.truncated {
            let total = run.stdout.totalBytes + run.stderr.totalBytes
            text += " (output cut: \(Self.bytes(total)) in all, first and last \(Self.bytes(run.stdout.keptHeadBytes)) kept)"
        }
        if combined.count > rawOutputBudget {
            combined = "[... \(combined.count - rawOutputBudget) characters cut ...]\n" + String(combined.suffix(rawOutputBudget))
        }
        return text + ":\n" + Self.indent(combined, by: 2)
    }

    /// Joins sections until the budget is spent, then says how many were left out.
    func fit(_ sections: [String]) -> String {
        var out = ""
        for (index, section) in sections.enumerated() {
            let addition = (out.isEmpty ? "" : "\n\n") + section
            if out.count + addition.count > budget {
                let room = budget - out.count - 80
                if room > 200, index <= 2 {
                    out += (out.isEmpty ? "" : "\n\n") + String(section.prefix(room)) + "\n[... cut to fit the feedback budget]"
                }
                let left = sections.count - index - (room > 200 && index <= 2 ? 1 : 0)
                if left > 0 { out += "\n\n[\(left) more item\(left == 1 ? "" : "s") not shown to keep this short]" }
                return out
            }
            out += addition
        }
        return out
    }

    static func label(_ outcome: TestOutcome) -> String {
        switch outcome {
        case .failed: "FAILED"
        case .error: "ERROR"
        case .crashed: "CRASHED"
        case .timedOut: "TIMED OUT"
        case .passed: "PASSED"
        case .skipped: "SKIPPED"
        }
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + " [... \(text.count - limit) characters cut]"
    }

    static func indent(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }

    /// `5 s`, `2.5 s`.
    public static func seconds(_ value: Double) -> String { CommandRun.seconds(value) }

    static func bytes(_ count: Int) -> String {
        if count >= 1_000_000 { return String(format: "%.0f MB", Double(count) / 1_000_000) }
        if count >= 1000 { return String(format: "%.0f KB", Double(count) / 1000) }
        return "\(count) bytes"
    }

    /// A signal's conventional name.
    public static func signalName(_ signal: Int32) -> String { CommandRun.signalName(signal) }
}
