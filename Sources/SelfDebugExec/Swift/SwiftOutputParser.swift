import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Reads swiftc diagnostics and XCTest output.
enum SwiftOutputParser {
    /// Diagnostics in swiftc's `-diagnostic-style llvm` output; notes attach to the error before them.
    /// Paths are made relative to `workspace`; source lines come from `files` when known.
    static func diagnostics(_ output: String, workspace: String, files: [String: String]) -> [Diagnostic] {
        let pattern = try! NSRegularExpression(pattern: #"^(.+?):(\d+):(\d+): (error|warning|note): (.*)$"#)
        var result: [Diagnostic] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { continue }
            func group(_ index: Int) -> String { Range(match.range(at: index), in: text).map { String(text[$0]) } ?? "" }
            var file = group(1)
            if file.hasPrefix(workspace + "/") { file.removeFirst(workspace.count + 1) }
            let lineNumber = Int(group(2))
            let severity = group(4)
            if severity == "note", !result.isEmpty {
                result[result.count - 1].notes.append("\(file):\(group(2)): \(group(5))")
                continue
            }
            let source = lineNumber.flatMap { number in
                files[file].flatMap { content in
                    let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
                    return number >= 1 && number <= lines.count ? String(lines[number - 1]) : nil
                }
            }
            result.append(Diagnostic(file: file, line: lineNumber, column: Int(group(3)), severity: severity, message: group(5), sourceLine: source))
        }
        return result
    }

    /// Per-test results from XCTest's output. A test that started and never finished was running
    /// when the process died: it is marked `crashed` (or `timedOut`).
    static func tests(_ output: String, workspace: String, crashed: Bool, timedOut: Bool, crashMessage: String?) -> [TestCaseResult] {
        let started = try! NSRegularExpression(pattern: #"^Test Case '(?:-\[)?([^' \]]+)[ .]([^' \]]+)\]?' started"#)
        let finished = try! NSRegularExpression(pattern: #"^Test Case '(?:-\[)?([^' \]]+)[ .]([^' \]]+)\]?' (passed|failed|skipped) \(([\d.]+) seconds\)"#)
        let failure = try! NSRegularExpression(pattern: #"^(.+?):(\d+): error: ([^ ]+) : (.*)$"#)
        // `file:line: Class.test : Test skipped - message`: where the XCTSkip was made.
        let skip = try! NSRegularExpression(pattern: #"^(.+?):(\d+): ([^ ]+) : Test skipped(?: - |: )?(.*)$"#)
        var results: [TestCaseResult] = []
        var current: String?
        var messages: [String: [(String, String)]] = [:]  // test -> (location, message)
        var skips: [String: (String, String)] = [:]
        for raw in output.split(separator: "\n") {
            let line = String(raw)
            let range = NSRange(line.startIndex..., in: line)
            if let match = started.firstMatch(in: line, range: range) {
                current = group(match, 1, line) + "." + group(match, 2, line)
            } else if let match = finished.firstMatch(in: line, range: range) {
                let name = group(match, 1, line) + "." + group(match, 2, line)
                let state = group(match, 3, line)
                let failures = messages[name] ?? []
                let skipped = state == "skipped" ? skips[name] : nil
                results.append(TestCaseResult(
                    name: name,
                    outcome: state == "passed" ? .passed : state == "skipped" ? .skipped : .failed,
                    location: skipped?.0 ?? failures.first?.0,
                    message: skipped.map { $0.1.isEmpty ? "skipped" : $0.1 } ?? failures.first.map { cleanMessage($0.1) },
                    details: failures.dropFirst().map { "\($0.0): \(cleanMessage($0.1))" }))
                current = nil
            } else if let match = skip.firstMatch(in: line, range: range) {
                var file = group(match, 1, line)
                if file.hasPrefix(workspace + "/") { file.removeFirst(workspace.count + 1) }
                skips[group(match, 3, line)] = ("\(file):\(group(match, 2, line))", group(match, 4, line))
            } else if let match = failure.firstMatch(in: line, range: range) {
                var file = group(match, 1, line)
                if file.hasPrefix(workspace + "/") { file.removeFirst(workspace.count + 1) }
                let name = group(match, 3, line)
                messages[name, default: []].append(("\(file):\(group(match, 2, line))", group(match, 4, line)))
            }
        }
        if let current {
            results.append(TestCaseResult(
                name: current, outcome: timedOut ? .timedOut : .crashed,
                location: messages[current]?.first?.0,
                message: timedOut ? "this test was running when the time ran out" : (crashMessage ?? "the test process crashed during this test")))
        }
        return results
    }

    /// Per-test results from Swift Testing's output (run with NO_COLOR). A test that started and
    /// never finished was running when the process died.
    static func swiftTestingTests(_ output: String, workspace: String, timedOut: Bool, crashMessage: String?) -> [TestCaseResult] {
        let started = try! NSRegularExpression(pattern: #"^◇ Test (?!case )(?!run )(.+?) started\.$"#)
        let finished = try! NSRegularExpression(pattern: #"^[✔✘] Test (?!run )(.+?)(?: with \d+ test cases?)? (passed|failed) after"#)
        let skipped = try! NSRegularExpression(pattern: #"^➜ Test (.+?) skipped"#)
        let issue = try! NSRegularExpression(pattern: #"^✘ Test (.+?) recorded an issue(?: with (.+?))? at (\S+?):(\d+):\d+: (.*)$"#)
        var results: [TestCaseResult] = []
        var running: [String] = []
        var issues: [String: [(location: String, message: String, arguments: String?)]] = [:]
        for raw in output.split(separator: "\n") {
            let line = String(raw)
            let range = NSRange(line.startIndex..., in: line)
            if let match = issue.firstMatch(in: line, range: range) {
                var file = group(match, 3, line)
                if file.hasPrefix(workspace + "/") { file.removeFirst(workspace.count + 1) }
                let arguments = match.range(at: 2).location == NSNotFound ? nil : group(match, 2, line)
                issues[group(match, 1, line), default: []].append(("\(file):\(group(match, 4, line))", group(match, 5, line), arguments))
            } else if let match = started.firstMatch(in: line, range: range) {
                running.append(group(match, 1, line))
            } else if let match = finished.firstMatch(in: line, range: range) {
                let name = group(match, 1, line)
                running.removeAll { $0 == name }
                let found = issues[name] ?? []
                results.append(TestCaseResult(
                    name: name, outcome: group(match, 2, line) == "passed" ? .passed : .failed,
                    location: found.first?.location, message: found.first?.message,
                    details: found.first.flatMap { $0.arguments.map { ["with \($0)"] } } ?? []
                        + found.dropFirst().map { "\($0.location): \($0.message)" + ($0.arguments.map { " (with \($0))" } ?? "") }))
            } else if let match = skipped.firstMatch(in: line, range: range) {
                results.append(TestCaseResult(name: group(match, 1, line), outcome: .skipped))
            }
        }
        for name in running {
            results.append(TestCaseResult(
                name: name, outcome: timedOut ? .timedOut : .crashed,
                message: timedOut ? "this test was running when the time ran out" : (crashMessage ?? "the test process crashed during this test")))
        }
        return results
    }

    /// XCTest's messages end with " - " and the assertion's own message; drop an empty one.
    static func cleanMessage(_ message: String) -> String {
        message.hasSuffix(" - ") ? String(message.dropLast(3)) : message
    }

    /// The runtime's fatal error line (`file:line: Fatal error: ...`), if any.
    static func fatalError(in output: String, workspace: String) -> String? {
        for line in output.split(separator: "\n") where line.contains("Fatal error:") || line.contains("Precondition failed") || line.contains("Assertion failed") {
            var text = String(line)
            if text.hasPrefix(workspace + "/") { text.removeFirst(workspace.count + 1) }
            return text
        }
        return nil
    }

    static func group(_ match: NSTextCheckingResult, _ index: Int, _ text: String) -> String {
        Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
    }
}
