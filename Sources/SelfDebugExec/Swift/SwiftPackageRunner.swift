import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Package mode: the task's files form a SwiftPM package (a `Package.swift` among them). Built
/// with `swift build --build-tests` and tested with `swift test --skip-build`, in the sandbox,
/// reusing the build folder between iterations.
struct SwiftPackageRunner {
    let swift: String
    let toolchainRoot: String
    let sandbox: any Sandbox
    let limits: ResourceLimits
    let workspace: PersistentWorkspace

    func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let task = request.task
        // The agent's files, then the pristine tests over them.
        let files = request.files.merging(task.tests) { _, test in test }
        let removed = try workspace.sync(files)
        let deadline = Date().addingTimeInterval(task.timeout)
        let environment = Workspace.environment(
            home: workspace.home, binPaths: [(swift as NSString).deletingLastPathComponent], extra: ["SWIFT_BACKTRACE": "enable=no", "NO_COLOR": "1"])
        var runs: [CommandRun] = []
        let build = SandboxCommand(
            phase: "build", argv: [swift, "build", "--build-tests", "-Xswiftc", "-diagnostic-style", "-Xswiftc", "llvm"],
            workspace: workspace.code, readOnlyPaths: [toolchainRoot], environment: environment,
            timeout: deadline.timeIntervalSinceNow, limits: limits)
        runs.append(try await sandbox.run(build))
        if let last = runs.last, !last.succeeded {
            let diagnostics = SwiftOutputParser.diagnostics(last.stdout.text + "\n" + last.stderr.text, workspace: workspace.code, files: files)
            if last.timedOut { return ExecOutcome(verdict: .timedOut, runs: runs, diagnostics: diagnostics, notes: ["The build did not finish in time."]) }
            return ExecOutcome(verdict: .buildFailed, runs: runs, diagnostics: diagnostics,
                               notes: SwiftHints.notes(diagnostics, output: last.stdout.text + last.stderr.text))
        }
        let test = SandboxCommand(
            phase: "test", argv: [swift, "test", "--skip-build"], workspace: workspace.code, readOnlyPaths: [toolchainRoot],
            environment: environment, timeout: max(0.5, deadline.timeIntervalSinceNow), limits: limits)
        let run = try await sandbox.run(test)
        runs.append(run)
        var outcome = Self.outcome(run, runs: runs, workspace: workspace.code)
        outcome.notes = PersistentWorkspace.removalNote(removed) + outcome.notes
        return outcome
    }

    /// XCTest and Swift Testing results from `swift test`'s output.
    static func outcome(_ run: CommandRun, runs: [CommandRun], workspace: String) -> ExecOutcome {
        let output = run.stdout.text + "\n" + run.stderr.text
        let fatal = SwiftOutputParser.fatalError(in: output, workspace: workspace)
        let crashMessage = fatal.map { $0 + "; the test process crashed" }
        var tests = SwiftOutputParser.tests(output, workspace: workspace, crashed: false, timedOut: run.timedOut, crashMessage: crashMessage)
        if !output.contains("Test Case '") { tests = [] }
        tests += SwiftOutputParser.swiftTestingTests(output, workspace: workspace, timedOut: run.timedOut, crashMessage: crashMessage)
        var notes = run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." }
        let crashed = tests.contains(where: { $0.outcome == .crashed }) || (fatal != nil && run.exitStatus != 0) || (!run.timedOut && run.signal != nil)
        let verdict = SwiftTestRunner.judge(run, tests: tests, crashed: crashed, notes: &notes)
        return ExecOutcome(verdict: verdict, runs: runs, tests: tests, notes: notes)
    }
}
