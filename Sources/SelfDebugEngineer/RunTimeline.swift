import Foundation
import SelfDebugCore
import SelfDebugExec

/// A run's story for people: per iteration what the model said and changed, what ran and failed,
/// what it was told; as terminal text or one self-contained HTML page with an inline SVG chart.
public struct RunTimeline: Sendable {
    /// One iteration's facts.
    public struct Step: Sendable {
        public var iteration: Int
        public var promptTokens = 0
        public var completionTokens = 0
        public var latency = 0.0
        public var reply = ""
        public var diff = ""
        public var verdict: String?
        public var testsPassed = 0
        public var testsTotal = 0
        public var execSeconds = 0.0
        public var delta: String?
        public var limits: [String] = []
        public var feedback: String?
        public var notes: [String] = []
    }

    /// The run read back.
    public var record: RunRecord
    /// The iterations, in order (0: a fix run's baseline).
    public var steps: [Step]

    /// Builds the timeline (diffs between consecutive versions).
    public static func make(_ record: RunRecord) async throws -> RunTimeline {
        var steps: [Int: Step] = [:]
        func step(_ iteration: Int) -> Step { steps[iteration] ?? Step(iteration: iteration) }
        var previous = record.task.startingFiles
        var current = record.task.startingFiles
        for event in record.events {
            var entry = step(event.iteration)
            switch event.body {
            case .llmResponse(let response):
                entry.promptTokens += response.usage.promptTokens
                entry.completionTokens += response.usage.completionTokens
                entry.latency += response.latencySeconds
                entry.reply = response.text
            case .code(let code):
                let files = record.files(after: code, current: current)
                entry.diff = try await Patch.unified(from: previous, to: files)
                previous = files
                current = files
            case .exec(let exec):
                entry.verdict = exec.verdict.rawValue
                entry.testsPassed = exec.testsPassed
                entry.testsTotal = exec.testsTotal
                entry.execSeconds += exec.durationSeconds
                if let delta = exec.delta, !delta.isEmpty {
                    entry.delta = "fixed \(delta.fixed.count), broke \(delta.broke.count)" + (delta.broke.isEmpty ? "" : ": " + delta.broke.joined(separator: ", "))
                }
                for run in exec.steps { entry.limits += run.limitsHit }
                if exec.baseline { entry.notes.append("baseline: the project as it was") }
            case .feedback(let feedback):
                entry.feedback = feedback.text
            case .restart(let restart):
                entry.notes.append("fresh attempt: \(restart.reason)")
                current = record.task.startingFiles
                previous = current
            case .trace(let trace):
                entry.notes.append("traced \(trace.test.isEmpty ? "a test" : trace.test)")
            case .testsWritten:
                entry.notes.append("the agent wrote its own tests")
            default:
                continue
            }
            steps[event.iteration] = entry
        }
        return RunTimeline(record: record, steps: steps.keys.sorted().compactMap { steps[$0] }.filter { $0.iteration > 0 || $0.verdict != nil })
    }

    var start: TrajectoryEvent.RunStart { record.start }
    var title: String { record.task.title ?? record.task.source ?? record.folder }

    /// The timeline as terminal text.
    public var text: String {
        var lines: [String] = []
        lines.append("\(title) (\(record.task.language.rawValue)) · model \(start.model) via \(start.provider)")
        if !start.executor.isEmpty { lines.append(start.executor) }
        for step in steps {
            lines.append("")
            lines.append("── iteration \(step.iteration) " + String(repeating: "─", count: 40))
            if step.promptTokens + step.completionTokens > 0 {
                lines.append(String(format: "model: %d prompt + %d completion tokens, %.1f s", step.promptTokens, step.completionTokens, step.latency))
                let prose = step.reply.split(separator: "\n").prefix { !$0.hasPrefix("```") }.prefix(3)
                lines += prose.map { "  > " + $0 }
            }
            lines += step.notes.map { "note: " + $0 }
            if !step.diff.isEmpty {
                lines.append("changed:")
                lines += step.diff.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).map { "  " + $0 }
            }
            if let verdict = step.verdict {
                lines.append(String(format: "ran: %@, tests %d/%d, %.2f s", verdict, step.testsPassed, step.testsTotal, step.execSeconds)
                    + (step.delta.map { "; " + $0 } ?? ""))
                lines += step.limits.map { "  limit: " + $0 }
            }
            if let feedback = step.feedback {
                lines.append("told the model:")
                lines += feedback.split(separator: "\n", omittingEmptySubsequences: false).prefix(12).map { "  | " + $0 }
            }
        }
        lines.append("")
        if let summary = record.summary {
            lines.append("\(summary["status"]?.stringValue ?? "?") (\(summary["stop_reason"]?.stringValue ?? "")) after \(summary["iterations"]?.intValue ?? 0) iterations; "
                + "\(summary["prompt_tokens"]?.intValue ?? 0) + \(summary["completion_tokens"]?.intValue ?? 0) tokens; "
                + String(format: "%.1f s (%.1f s running code)", summary["wall_seconds"]?.doubleValue ?? 0, summary["exec_seconds"]?.doubleValue ?? 0))
        } else {
            lines.append("(no summary.json: the run did not finish)")
        }
        return lines.joined(separator: "\n")
    }

    /// The timeline as one self-contained HTML page (no scripts, no external assets).
    public var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var body = "<h1>\(escape(title))</h1>\n<p class=\"meta\">\(escape(record.task.language.rawValue)) · model \(escape(start.model)) via \(escape(start.provider))<br>\(escape(start.executor))</p>\n"
        if let summary = record.summary {
            body += "<p class=\"status \(escape(summary["status"]?.stringValue ?? ""))\">\(escape(summary["status"]?.stringValue ?? "?")) after \(summary["iterations"]?.intValue ?? 0) iterations · "
                + "\(summary["prompt_tokens"]?.intValue ?? 0) + \(summary["completion_tokens"]?.intValue ?? 0) tokens · "
                + String(format: "%.1f s (%.1f s running code)", summary["wall_seconds"]?.doubleValue ?? 0, summary["exec_seconds"]?.doubleValue ?? 0) + "</p>\n"
        }
        body += chart + "\n"
        for step in steps {
            body += "<section>\n<h2>Iteration \(step.iteration)</h2>\n"
            if step.promptTokens + step.completionTokens > 0 {
                body += String(format: "<p>Model: %d prompt + %d completion tokens, %.1f s</p>\n", step.promptTokens, step.completionTokens, step.latency)
                body += "<details><summary>The reply</summary><pre>\(escape(step.reply))</pre></details>\n"
            }
            for note in step.notes { body += "<p class=\"note\">\(escape(note))</p>\n" }
            if !step.diff.isEmpty {
                let lines = step.diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                    let kind = line.hasPrefix("+") && !line.hasPrefix("+++") ? "add" : line.hasPrefix("-") && !line.hasPrefix("---") ? "del" : ""
                    return "<span class=\"\(kind)\">\(escape(String(line)))</span>"
                }
                body += "<details open><summary>What changed</summary><pre class=\"diff\">\(lines.joined(separator: "\n"))</pre></details>\n"
            }
            if let verdict = step.verdict {
                body += "<p class=\"verdict \(escape(verdict))\">Ran: \(escape(verdict)), tests \(step.testsPassed)/\(step.testsTotal)"
                    + String(format: ", %.2f s", step.execSeconds) + (step.delta.map { "; " + escape($0) } ?? "") + "</p>\n"
                for limit in step.limits { body += "<p class=\"limit\">Limit: \(escape(limit))</p>\n" }
            }
            if let feedback = step.feedback {
                body += "<details><summary>What the model was told</summary><pre>\(escape(feedback))</pre></details>\n"
            }
            body += "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>selfdebug: \(escape(title))</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
        pre { background: #f6f6f6; padding: .6em; overflow-x: auto; font-size: 13px; }
        .diff .add { color: #1a7f37; } .diff .del { color: #cf222e; }
        .status.solved, .verdict.passed { color: #1a7f37; font-weight: bold; }
        .status.unsolved, .status.error, .verdict.tests_failed, .verdict.build_failed, .verdict.crashed, .verdict.timed_out { color: #cf222e; }
        .meta, .note, .limit { color: #555; } section { border-top: 1px solid #ddd; margin-top: 1.5em; }
        </style></head>
        <body>
        \(body)
        </body></html>
        """
    }

    /// An inline SVG chart: tests passing (bars) and tokens (line) per iteration.
    var chart: String {
        let points = steps.filter { $0.verdict != nil || $0.promptTokens > 0 }
        guard !points.isEmpty else { return "" }
        let width = 640.0, height = 220.0, left = 50.0, bottom = 30.0, top = 20.0
        let slot = (width - left - 10) / Double(points.count)
        let maxTests = max(1, points.map(\.testsTotal).max() ?? 1)
        let maxTokens = max(1, points.map { $0.promptTokens + $0.completionTokens }.max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"tests passing and tokens per iteration\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>\n"
        var line: [String] = []
        for (index, step) in points.enumerated() {
            let x = left + Double(index) * slot
            let plot = height - bottom - top
            let total = Double(step.testsTotal) / Double(maxTests) * plot
            let passed = Double(step.testsPassed) / Double(maxTests) * plot
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f3c1c1\"><title>iteration %d: %d of %d tests</title></rect>\n",
                          x + slot * 0.15, height - bottom - total, slot * 0.7, total, step.iteration, step.testsPassed, step.testsTotal)
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#5cb85c\"/>\n", x + slot * 0.15, height - bottom - passed, slot * 0.7, passed)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%d</text>\n", x + slot / 2, height - bottom + 15, step.iteration)
            let tokens = Double(step.promptTokens + step.completionTokens) / Double(maxTokens) * plot
            line.append(String(format: "%.1f,%.1f", x + slot / 2, height - bottom - tokens))
        }
        svg += "<polyline points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"#2f6fde\" stroke-width=\"2\"/>\n"
        svg += "<text x=\"4\" y=\"14\" font-size=\"11\">green: tests passing (of \(maxTests)); blue: tokens (max \(maxTokens)); x: iteration</text>\n"
        return svg + "</svg>"
    }
}
