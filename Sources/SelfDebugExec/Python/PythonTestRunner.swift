import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Runs Python tests (pytest-style functions, `pytest.raises`, parametrize, unittest) with
/// selfdebug's harness, and turns its JSON lines into an ``ExecOutcome``.
struct PythonTestRunner {
    let python: String
    let sandbox: any Sandbox
    let limits: ResourceLimits
    /// Run every test under the real pytest (to compare with the fast path).
    var realPytest = false
    /// Run only this test, under a tracer, and report the trace.
    var traceTest: String?
    /// Program mode: run this file (a solution with its tests) as one program.
    var program: String?
    /// Program mode: the program's first lines that are the solution (its own top-level code is left out).
    var solutionLines = 0

    func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let workspace = try Workspace.create()
        defer { workspace.remove() }
        // The agent's files first, then the pristine tests over them: a rewritten test never runs.
        try workspace.write(request.files)
        try workspace.write(request.task.tests)
        let harness = try Self.installedHarness()
        let results = workspace.support + "/results.jsonl"
        guard FileManager.default.createFile(atPath: results, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: results])
        }

        let testFiles = program.map { [$0] } ?? request.task.tests.keys.filter { $0.hasSuffix(".py") && Self.isTestFile($0) }.sorted()
        let command = SandboxCommand(
            phase: "test",
            // -S: no site-packages at start-up (saves ~25 ms); the harness adds them only for real pytest.
            argv: [python, "-I", "-S", "-B", harness, results] + testFiles,
            workspace: workspace.code, readOnlyPaths: [Toolchain.pythonPrefix(python), (harness as NSString).deletingLastPathComponent],
            writablePaths: [results],
            environment: workspace.environment(extra: [
                "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONHASHSEED": "0",
                "PYTHONUNBUFFERED": "1",
                // The task's own files: a skip raised anywhere else is the solution's, and a failure.
                "SELFDEBUG_PRISTINE": request.task.tests.keys.sorted().joined(separator: "\n"),
            ].merging(realPytest ? ["SELFDEBUG_REAL_PYTEST": "1"] : [:]) { a, _ in a }
             .merging(traceTest.map { ["SELFDEBUG_TRACE": $0] } ?? [:]) { a, _ in a }
             .merging(program.map { ["SELFDEBUG_PROGRAM": $0, "SELFDEBUG_SOLUTION_LINES": "\(solutionLines)"] } ?? [:]) { a, _ in a }),
            timeout: request.task.timeout, limits: limits)
        let run = try await sandbox.run(command)
        let text = (try? String(contentsOfFile: results, encoding: .utf8)) ?? ""
        var outcome = Self.outcome(resultsText: text, run: run)
        outcome.notes += Self.limitNotes(outcome, limits: limits)
        return outcome
    }

    /// The trace of one test (see `traceTest`), or nil when it could not be traced.
    func trace(_ request: ExecRequest, test: String) async throws -> String? {
        var tracing = self
        tracing.traceTest = test
        let outcome = try await tracing.run(request)
        return outcome.trace
    }

    /// Limits the tests' own errors show were hit (the process survived them, so its exit says nothing).
    static func limitNotes(_ outcome: ExecOutcome, limits: ResourceLimits) -> [String] {
        let text = outcome.tests.map { ($0.message ?? "") + " " + ($0.output ?? "") }.joined(separator: "\n")
        var notes: [String] = []
        if text.contains("MemoryError"), !outcome.notes.contains(where: { $0.contains("memory limit") }) {
            notes.append("Limit hit: memory limit \(ResourceLimits.size(limits.memoryBytes)) reached (MemoryError).")
        }
        if text.contains("BlockingIOError") || text.contains("Resource temporarily unavailable"), !outcome.notes.contains(where: { $0.contains("process limit") }) {
            notes.append("Limit hit: process limit \(limits.processes) reached (fork or thread creation failed).")
        }
        if text.contains("Too many open files"), !outcome.notes.contains(where: { $0.contains("open files") }) {
            notes.append("Limit hit: open files limit \(limits.openFiles) reached.")
        }
        if text.contains("File too large") {
            notes.append("Limit hit: file size limit \(ResourceLimits.size(limits.fileSizeBytes)) reached.")
        }
        return notes
    }

    /// The path of the harness's entry file. Its files are written once per process into one
    /// folder outside every workspace, which is bound read-only.
    static func installedHarness() throws -> String {
        try harnessInstallation.get()
    }

    private static let harnessInstallation: Result<String, Error> = Result {
        let folder = NSTemporaryDirectory() + "selfdebug-\(getpid())-harness-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for (name, source) in PythonHarness.files {
            let path = folder + "/" + name
            try Data(source.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        }
        return folder + "/" + PythonHarness.fileName
    }

    /// Test files by pytest's naming rules (`test_*.py`, `*_test.py`); others are helpers.
    static func isTestFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasPrefix("test") || name.hasSuffix("_test.py")
    }

    /// Reads the harness's JSON lines into an outcome; the verdict needs the harness to have
    /// finished (`done`), so code that exits early cannot pass.
    static func outcome(resultsText: String, run: CommandRun) -> ExecOutcome {
        var tests: [TestCaseResult] = []
        var diagnostics: [Diagnostic] = []
        var notes: [String] = []
        var started: String?
        var done = false
        var trace: String?
        for line in resultsText.split(separator: "\n") {
            guard let event = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)) else { continue }
            switch event["event"]?.stringValue {
            case "start":
                started = event["name"]?.stringValue
            case "result":
                tests.append(testResult(event))
                started = nil
            case "collection_error":
                diagnostics.append(diagnostic(event))
            case "runner":
                notes.append("The tests needed pytest itself (\(event["reason"]?.stringValue ?? "")); they ran under pytest.")
            case "trace":
                trace = event["text"]?.stringValue
            case "left_out":
                let lines = (event["lines"]?.arrayValue ?? []).compactMap(\.stringValue)
                notes.append("Left out of the run: your file's own top-level code (line\(lines.count == 1 && !lines[0].contains("-") ? "" : "s") \(lines.joined(separator: ", "))). "
                    + "Only its imports, definitions and assignments run with the tests: put no checks, prints or calls at the top level.")
            case "done":
                done = true
            default:
                break
            }
        }
        let verdict: Verdict
        if run.interrupted == true {
            verdict = .interrupted
        } else if run.timedOut {
            verdict = .timedOut
            if let started { tests.append(TestCaseResult(name: started, outcome: .timedOut, message: "this test was running when the time ran out")) }
        } else if !diagnostics.isEmpty {
            verdict = .buildFailed
        } else if !done {
            verdict = .crashed
            let how = run.endedHow + " before the tests finished"
            let name = started ?? "(between tests)"
            tests.append(TestCaseResult(name: name, outcome: .crashed, message: "the test process \(how)" + (run.limitsHit.isEmpty ? "" : "; " + run.limitsHit.joined(separator: "; "))))
        } else if run.statusUnknown == true {
            verdict = .crashed
            notes.append("The test process \(run.endedHow).")
        } else {
            verdict = Verdict.judging(tests)
        }
        notes += run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." }
        var outcome = ExecOutcome(verdict: verdict, runs: [run], diagnostics: diagnostics, tests: tests, notes: notes)
        outcome.trace = trace
        return outcome
    }

    static func testResult(_ event: JSONValue) -> TestCaseResult {
        let frames = (event["traceback"]?.arrayValue ?? []).compactMap { frame -> TraceFrame? in
            guard let file = frame["file"]?.stringValue, let line = frame["line"]?.intValue else { return nil }
            return TraceFrame(file: file, line: line, function: frame["function"]?.stringValue ?? "?", code: frame["code"]?.stringValue)
        }
        return TestCaseResult(
            name: event["name"]?.stringValue ?? "?",
            outcome: TestOutcome(rawValue: event["outcome"]?.stringValue ?? "") ?? .error,
            location: event["location"]?.stringValue,
            message: event["message"]?.stringValue,
            details: (event["details"]?.arrayValue ?? []).compactMap(\.stringValue),
            traceback: frames,
            output: event["output"]?.stringValue)
    }

    /// A syntax or import error while loading the tests and the code they import.
    static func diagnostic(_ event: JSONValue) -> Diagnostic {
        let type = event["type"]?.stringValue ?? "Error"
        let message = event["message"]?.stringValue ?? ""
        let notes = (event["traceback"]?.arrayValue ?? []).compactMap { frame -> String? in
            guard let file = frame["file"]?.stringValue, let line = frame["line"]?.intValue else { return nil }
            return "imported from \(file):\(line): \(frame["code"]?.stringValue ?? "")"
        }
        return Diagnostic(
            file: event["file"]?.stringValue ?? "?", line: event["line"]?.intValue, column: event["column"]?.intValue,
            severity: "error", message: "\(type): \(message)", sourceLine: event["source"]?.stringValue, notes: notes)
    }
}
