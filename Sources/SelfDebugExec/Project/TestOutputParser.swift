import Foundation
import SelfDebugCore

/// Reads the output of a project's own test command: pytest, unittest, XCTest and Swift Testing,
/// plus compiler and Python syntax errors. What it cannot read is left to the raw output.
enum TestOutputParser {
    struct Parsed {
        var tests: [TestCaseResult] = []
        var diagnostics: [Diagnostic] = []
        var totals: TestTotals?
        /// Files named in tracebacks, failures and diagnostics, relative to the workspace, in order.
        var referencedFiles: [String] = []
    }

    static func parse(_ raw: String, workspace: String, files: [String: String]) -> Parsed {
        let output = stripANSI(raw)
        var parsed = Parsed()
        parsed.tests += pytestFailures(output, workspace: workspace)
        if parsed.tests.isEmpty { parsed.tests += unittestFailures(output, workspace: workspace) }
        if output.contains("Test Case '") {
            parsed.tests += SwiftOutputParser.tests(output, workspace: workspace, crashed: false, timedOut: false, crashMessage: nil)
        }
        let swiftTesting = SwiftOutputParser.swiftTestingTests(output, workspace: workspace, timedOut: false, crashMessage: nil)
        parsed.tests += swiftTesting
        parsed.diagnostics = SwiftOutputParser.diagnostics(output, workspace: workspace, files: files).filter { $0.severity != "note" }
            + pythonSyntaxErrors(output, workspace: workspace)
        parsed.totals = totals(output)
        // `swift test` runs XCTest and then Swift Testing: XCTest's summary line does not count the latter.
        if var totals = parsed.totals, output.contains("Executed "), !swiftTesting.isEmpty {
            totals.passed += swiftTesting.filter(\.passed).count
            totals.failed += swiftTesting.filter(\.failedToPass).count
            totals.skipped += swiftTesting.filter { $0.outcome == .skipped }.count
            parsed.totals = totals
        }
        parsed.referencedFiles = referencedFiles(output, workspace: workspace, files: files)
        return parsed
    }

    static func stripANSI(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
    }

    static func relative(_ path: String, _ workspace: String) -> String {
        path.hasPrefix(workspace + "/") ? String(path.dropFirst(workspace.count + 1)) : path
    }

    /// pytest's failure sections (`____ name ____`) and its short summary (`FAILED path::name - message`).
    static func pytestFailures(_ output: String, workspace: String) -> [TestCaseResult] {
        let lines = output.components(separatedBy: "\n")
        var results: [String: TestCaseResult] = [:]
        var order: [String] = []
        let header = try! NSRegularExpression(pattern: #"^_{3,} (.+?) _{3,}$"#)
        let location = try! NSRegularExpression(pattern: #"^([^\s:]+\.py):(\d+): (\w+)"#)
        let frameLine = try! NSRegularExpression(pattern: #"^([^\s:]+\.py):(\d+): in (\S+)"#)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard let match = header.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let range = Range(match.range(at: 1), in: line) else { index += 1; continue }
            let name = String(line[range]).replacingOccurrences(of: "::", with: ".")
            var body: [String] = []
            index += 1
            while index < lines.count, header.firstMatch(in: lines[index], range: NSRange(lines[index].startIndex..., in: lines[index])) == nil,
                  !lines[index].hasPrefix("=====") {
                body.append(lines[index])
                index += 1
            }
            let errors = body.filter { $0.hasPrefix("E ") }.map { String($0.dropFirst(1)).trimmingCharacters(in: .whitespaces) }
            var place: String?
            var kind = "AssertionError"
            for entry in body.reversed() {
                if let found = location.firstMatch(in: entry, range: NSRange(entry.startIndex..., in: entry)),
                   let file = Range(found.range(at: 1), in: entry), let number = Range(found.range(at: 2), in: entry), let type = Range(found.range(at: 3), in: entry) {
                    place = relative(String(entry[file]), workspace) + ":" + entry[number]
                    kind = String(entry[type])
                    break
                }
            }
            // Frames are the `path:line: in function` lines (the last `path:line: Error` line is the location).
            let frames = body.compactMap { entry -> TraceFrame? in
                guard let found = frameLine.firstMatch(in: entry, range: NSRange(entry.startIndex..., in: entry)),
                      let file = Range(found.range(at: 1), in: entry), let number = Range(found.range(at: 2), in: entry),
                      let function = Range(found.range(at: 3), in: entry) else { return nil }
                return TraceFrame(file: relative(String(entry[file]), workspace), line: Int(entry[number]) ?? 0, function: String(entry[function]))
            }
            let code = body.filter { $0.hasPrefix(">") }.map { String($0.dropFirst(1)).trimmingCharacters(in: .whitespaces) }
            results[name] = TestCaseResult(
                name: name, outcome: kind == "AssertionError" || kind == "Failed" ? .failed : .error, location: place,
                message: errors.first ?? kind, details: Array((code + errors.dropFirst()).prefix(12)), traceback: frames)
            order.append(name)
        }
        // The short summary names failures that had no section (with -q, --tb=no...).
        let summary = try! NSRegularExpression(pattern: #"^(FAILED|ERROR) ([^\s]+?)::([^\s]+)(?: - (.*))?$"#)
        for line in lines {
            guard let match = summary.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let kind = Range(match.range(at: 1), in: line), let test = Range(match.range(at: 3), in: line) else { continue }
            let name = String(line[test]).replacingOccurrences(of: "::", with: ".")
            guard results[name] == nil else { continue }
            let message = Range(match.range(at: 4), in: line).map { String(line[$0]) }
            results[name] = TestCaseResult(name: name, outcome: line[kind] == "FAILED" ? .failed : .error, message: message)
            order.append(name)
        }
        return order.compactMap { results[$0] }
    }

    /// unittest's `FAIL: name (module.Class.name)` and `ERROR:` blocks.
    static func unittestFailures(_ output: String, workspace: String) -> [TestCaseResult] {
        let lines = output.components(separatedBy: "\n")
        let header = try! NSRegularExpression(pattern: #"^(FAIL|ERROR): (\w+) \(([\w.]+)\)"#)
        let frame = try! NSRegularExpression(pattern: #"^\s*File "(.+?)", line (\d+), in (.+)$"#)
        var results: [TestCaseResult] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard let match = header.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let kind = Range(match.range(at: 1), in: line), let qualified = Range(match.range(at: 3), in: line) else { index += 1; continue }
            let parts = line[qualified].split(separator: ".")
            let name = parts.suffix(2).joined(separator: ".")
            var frames: [TraceFrame] = []
            var last = ""
            index += 1
            while index < lines.count, !lines[index].hasPrefix("=====") , !lines[index].hasPrefix("-----") || frames.isEmpty {
                let entry = lines[index]
                if let found = frame.firstMatch(in: entry, range: NSRange(entry.startIndex..., in: entry)),
                   let file = Range(found.range(at: 1), in: entry), let number = Range(found.range(at: 2), in: entry), let function = Range(found.range(at: 3), in: entry) {
                    let code = index + 1 < lines.count ? lines[index + 1].trimmingCharacters(in: .whitespaces) : nil
                    frames.append(TraceFrame(file: relative(String(entry[file]), workspace), line: Int(entry[number]) ?? 0, function: String(entry[function]), code: code))
                } else if !entry.trimmingCharacters(in: .whitespaces).isEmpty, !entry.hasPrefix(" "), !entry.hasPrefix("Traceback") {
                    last = entry
                }
                index += 1
            }
            let inside = frames.filter { !$0.file.hasPrefix("/") }
            results.append(TestCaseResult(
                name: name, outcome: line[kind] == "FAIL" ? .failed : .error,
                location: inside.first.map { "\($0.file):\($0.line)" }, message: last.isEmpty ? String(line[kind]) : last,
                traceback: inside))
        }
        return results
    }

    /// `File "x.py", line 3` ... `SyntaxError: message` in any Python traceback.
    static func pythonSyntaxErrors(_ output: String, workspace: String) -> [Diagnostic] {
        let lines = output.components(separatedBy: "\n")
        let frame = try! NSRegularExpression(pattern: #"^\s*(?:E\s+)?File "(.+?)", line (\d+)"#)
        var result: [Diagnostic] = []
        for (index, line) in lines.enumerated() {
            guard let match = frame.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let file = Range(match.range(at: 1), in: line), let number = Range(match.range(at: 2), in: line) else { continue }
            for ahead in lines[(index + 1)..<min(lines.count, index + 5)] {
                let text = ahead.replacingOccurrences(of: #"^E\s+"#, with: "", options: .regularExpression).trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("SyntaxError:") || text.hasPrefix("IndentationError:") || text.hasPrefix("TabError:") {
                    let source = lines.indices.contains(index + 1) ? lines[index + 1].replacingOccurrences(of: #"^E\s+"#, with: "", options: .regularExpression) : nil
                    result.append(Diagnostic(file: relative(String(line[file]), workspace), line: Int(line[number]), column: nil, severity: "error",
                                             message: text, sourceLine: source?.trimmingCharacters(in: .whitespaces)))
                    break
                }
            }
        }
        var seen = Set<String>()
        return result.filter { seen.insert("\($0.location)|\($0.message)").inserted }
    }

    /// pytest's `2 failed, 1 passed`, unittest's `Ran 3 tests` + `FAILED (failures=1, errors=1)`,
    /// XCTest's `Executed 3 tests, with 1 failure`.
    static func totals(_ output: String) -> TestTotals? {
        func number(_ pattern: String) -> Int? {
            guard let range = output.range(of: pattern, options: [.regularExpression, .backwards]) else { return nil }
            return Int(output[range].split(separator: " ").first(where: { Int($0) != nil }) ?? "")
        }
        if output.range(of: #"=* ?\d+ (passed|failed|skipped|errors?)\b[^\n]* in [\d.]+s"#, options: .regularExpression) != nil {
            let failed = number(#"\d+ failed"#) ?? 0, errors = number(#"\d+ errors?"#) ?? 0
            let passed = number(#"\d+ passed"#) ?? 0, skipped = number(#"\d+ skipped"#) ?? 0
            if failed + errors + passed + skipped > 0 { return TestTotals(passed: passed, failed: failed + errors, skipped: skipped) }
        }
        if let ran = number(#"Ran \d+ tests?"#) {
            func count(_ key: String) -> Int {
                output.range(of: key + #"=(\d+)"#, options: [.regularExpression, .backwards]).flatMap { Int(output[$0].dropFirst(key.count + 1)) } ?? 0
            }
            let failures = count("failures"), errors = count("errors"), skipped = count("skipped")
            let unexpected = count("unexpected successes")
            return TestTotals(passed: max(0, ran - failures - errors - skipped - unexpected), failed: failures + errors + unexpected, skipped: skipped)
        }
        // XCTest: `Executed 4 tests, with 2 tests skipped and 1 failure (1 unexpected)`.
        if let executed = output.range(of: #"Executed (\d+) tests?, with (?:(\d+) tests? skipped and )?(\d+) failures?"#, options: [.regularExpression, .backwards]) {
            let numbers = output[executed].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count == 3 { return TestTotals(passed: max(0, numbers[0] - numbers[1] - numbers[2]), failed: numbers[2], skipped: numbers[1]) }
            if numbers.count == 2 { return TestTotals(passed: max(0, numbers[0] - numbers[1]), failed: numbers[1], skipped: 0) }
        }
        return nil
    }

    /// Workspace files named in the output (`path:line` or `File "path", line`), in order of appearance.
    static func referencedFiles(_ output: String, workspace: String, files: [String: String]) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"(?:File ")?((?:/|\.?[\w-])[\w./+-]*\.(?:py|swift))(?:", line |:)(\d+)"#)
        var seen: [String] = []
        for match in pattern.matches(in: output, range: NSRange(output.startIndex..., in: output)) {
            guard let range = Range(match.range(at: 1), in: output) else { continue }
            var path = relative(String(output[range]), workspace)
            if path.hasPrefix("./") { path.removeFirst(2) }
            if files[path] == nil, let suffix = files.keys.first(where: { path.hasSuffix("/" + $0) }) { path = suffix }
            if files[path] != nil, !seen.contains(path) { seen.append(path) }
        }
        return seen
    }
}
