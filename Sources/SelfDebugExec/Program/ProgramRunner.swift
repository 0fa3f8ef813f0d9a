import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Program mode (benchmark sets): the solution and its tests form one program (solution, a blank
/// line, the tests); it passes when it exits with status 0.
struct ProgramRunner {
    let sandbox: any Sandbox
    let limits: ResourceLimits
    let python: String?
    let swiftc: String?
    let moduleCache: String

    func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let task = request.task
        let solution = task.solutionFiles.first.flatMap { request.files[$0] } ?? request.files.values.first ?? ""
        let program = solution + "\n\n" + (task.programTests ?? "")
        switch task.language {
        case .python:
            guard let python else { throw ToolchainError(tool: "python3", hint: "apt-get install -y python3") }
            // The harness runs it, so a failing assert shows both sides.
            var runner = PythonTestRunner(python: python, sandbox: sandbox, limits: limits)
            runner.program = "program.py"
            runner.solutionLines = solution.split(separator: "\n", omittingEmptySubsequences: false).count
            let programTask = TaskSpec(language: .python, solutionFiles: [], tests: ["program.py": program], timeout: task.timeout, body: task.body)
            let outcome = try await runner.run(ExecRequest(task: programTask, files: [:]))
            return Self.located(outcome, solutionFile: task.solutionFiles.first ?? "solution.py", solutionLines: runner.solutionLines,
                                examples: task.programTestsAreExamples == true)
        case .swift:
            guard let swiftc else { throw ToolchainError(tool: "swiftc", hint: "install a Swift toolchain") }
            let (kept, dropped) = SwiftTopLevel.withoutStatements(solution)
            var outcome = try await runSwift(kept + "\n\n" + (task.programTests ?? ""), task: task, swiftc: swiftc)
            outcome = Self.locatedSwift(outcome, solutionFile: task.solutionFiles.first ?? "Solution.swift",
                                        solutionLines: kept.split(separator: "\n", omittingEmptySubsequences: false).count)
            if !dropped.isEmpty {
                outcome.notes.insert("Left out of the run: your file's own top-level statements (lines \(dropped.joined(separator: ", "))). "
                    + "Only declarations run with the tests: put no checks, prints or calls at the top level.", at: 0)
            }
            return outcome
        }
    }

    func runSwift(_ program: String, task: TaskSpec, swiftc: String) async throws -> ExecOutcome {
        let workspace = try Workspace.create()
        defer { workspace.remove() }
        try workspace.write(["main.swift": program])
        let toolchain = Toolchain.swiftRoot(swiftc)
        let environment = workspace.environment(extra: ["SWIFT_BACKTRACE": "enable=no"])
        let deadline = Date().addingTimeInterval(task.timeout)
        let build = try await sandbox.run(SandboxCommand(
            phase: "build", argv: [swiftc, "-Onone", "-diagnostic-style", "llvm", "-module-cache-path", moduleCache, "main.swift", "-o", "program"],
            workspace: workspace.code, readOnlyPaths: [toolchain], writablePaths: [moduleCache], environment: environment,
            timeout: deadline.timeIntervalSinceNow, limits: limits))
        if !build.succeeded {
            let diagnostics = SwiftOutputParser.diagnostics(build.stderr.text + "\n" + build.stdout.text, workspace: workspace.code, files: ["main.swift": program])
            return ExecOutcome(verdict: build.timedOut ? .timedOut : .buildFailed, runs: [build], diagnostics: diagnostics,
                               notes: SwiftHints.notes(diagnostics, output: build.stderr.text))
        }
        let run = try await sandbox.run(SandboxCommand(
            phase: "test", argv: [workspace.code + "/program"], workspace: workspace.code, readOnlyPaths: [toolchain],
            environment: environment, timeout: max(0.5, deadline.timeIntervalSinceNow), limits: limits))
        let output = run.stdout.text + "\n" + run.stderr.text
        let fatal = SwiftOutputParser.fatalError(in: output, workspace: workspace.code)
        let verdict: Verdict = run.interrupted == true ? .interrupted : run.timedOut ? .timedOut : run.succeeded ? .passed
            : run.signal != nil || run.statusUnknown == true ? .crashed : .testsFailed
        let message = fatal ?? run.endedHow
        let result = TestCaseResult(
            name: "tests", outcome: verdict == .passed ? .passed : verdict == .timedOut ? .timedOut : .failed,
            location: fatal.flatMap { $0.split(separator: ":").prefix(2).joined(separator: ":") }, message: verdict == .passed ? nil : message,
            details: verdict == .passed ? [] : [Self.failingLine(fatal, program: program)].compactMap { $0 })
        return ExecOutcome(verdict: verdict, runs: [build, run], tests: [result],
                           notes: run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." })
    }

    /// The source of the line an assertion message points at (`main/main.swift:45: Assertion failed`).
    /// An example's own assert is left out: its message already says the call, the value and the
    /// expected value, and shown the harness's statement (`assert(selfdebugExample1 == ...)`) a
    /// small model copied it into its solution.
    static func failingLine(_ fatal: String?, program: String) -> String? {
        guard let fatal, !fatal.contains(": example "), let number = fatal.split(separator: ":").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        let lines = program.split(separator: "\n", omittingEmptySubsequences: false)
        return number >= 1 && number <= lines.count ? "the failing line: " + lines[number - 1].trimmingCharacters(in: .whitespaces) : nil
    }

    /// Swift: compiler diagnostics in the one `main.swift` named as the model knows them: its own
    /// file for the solution's lines, `tests` for the tests' lines (which start after one blank line),
    /// so a judge can tell the model's errors from errors in tests it must not see.
    static func locatedSwift(_ outcome: ExecOutcome, solutionFile: String, solutionLines: Int) -> ExecOutcome {
        var result = outcome
        for index in result.diagnostics.indices where result.diagnostics[index].file == "main.swift" {
            guard let line = result.diagnostics[index].line else { continue }
            result.diagnostics[index].file = line <= solutionLines ? solutionFile : "tests"
            result.diagnostics[index].line = line <= solutionLines ? line : line - solutionLines - 1
        }
        return result
    }

    /// Places in the one program named as the model knows them: its own file for the solution's
    /// lines, `tests` for the rest (the examples runner's own frames are left out). `examples`: the
    /// tests are the task's examples, whose runner's lines say nothing the report does not (the
    /// model was shown `raise AssertionError('%d of %d examples ...')` after every failure), so
    /// only the solution's frames and places are kept, and the `check(...)` line of an example
    /// whose call raised (it names the call).
    static func located(_ outcome: ExecOutcome, solutionFile: String, solutionLines: Int, examples: Bool = false) -> ExecOutcome {
        func place(_ file: String, _ line: Int) -> (String, Int) {
            guard file == "program.py" else { return (file, line) }
            return line <= solutionLines ? (solutionFile, line) : ("tests", line - solutionLines - 2)
        }
        var result = outcome
        for index in result.tests.indices {
            result.tests[index].traceback = result.tests[index].traceback
                .filter { !($0.function == "check" && ($0.code ?? "").hasPrefix("value = eval(")) }
                .map { frame in
                    let (file, line) = place(frame.file, frame.line)
                    return TraceFrame(file: file, line: line, function: frame.function == "__selfdebug_examples" ? "examples" : frame.function, code: frame.code)
                }
                // Of the examples runner's frames, only the one that says which example raised.
                .filter { !examples || $0.file != "tests" || ($0.code ?? "").hasPrefix("check(") }
            if let location = result.tests[index].location, location.hasPrefix("program.py:"), let line = Int(location.dropFirst("program.py:".count)) {
                let (file, number) = place("program.py", line)
                result.tests[index].location = examples && file == "tests" ? nil : "\(file):\(number)"
            }
        }
        for index in result.diagnostics.indices where result.diagnostics[index].file == "program.py" {
            if let line = result.diagnostics[index].line {
                let (file, number) = place("program.py", line)
                result.diagnostics[index].file = file
                result.diagnostics[index].line = number
            }
        }
        return result
    }
}
