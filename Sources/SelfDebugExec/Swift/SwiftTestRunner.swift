import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Runs Swift XCTest tests in task mode: the solution compiled as a testable module with one
/// `swiftc` call, the tests and a generated `XCTMain` with another, then the test binary. Builds
/// keep `-Onone` (so `assert` stays) and share a persistent module cache.
struct SwiftTestRunner {
    let swiftc: String
    let moduleCache: String
    let sandbox: any Sandbox
    let limits: ResourceLimits

    /// The toolchain's root (`/opt/swift` for `/opt/swift/usr/bin/swiftc`), bound read-only in the sandbox.
    var toolchainRoot: String { Toolchain.swiftRoot(swiftc) }

    func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let task = request.task
        let workspace = try Workspace.create()
        defer { workspace.remove() }
        try workspace.write(request.files)
        try workspace.write(task.tests)
        let module = task.resolvedModule
        let testFiles = task.tests.keys.filter { $0.hasSuffix(".swift") }.sorted()
        let sourceFiles = request.files.keys.filter { $0.hasSuffix(".swift") && task.tests[$0] == nil }.sorted()
        let classes = testFiles.flatMap { XCTestManifest.classes(in: task.tests[$0] ?? "") }
        let swiftTesting = testFiles.contains { XCTestManifest.usesSwiftTesting(task.tests[$0] ?? "") }
        let build = ".selfdebug"
        try workspace.write(["\(build)/main.swift": XCTestManifest.main(for: classes, swiftTesting: swiftTesting)])
        let allFiles = request.files.merging(task.tests) { _, test in test }
        let deadline = Date().addingTimeInterval(task.timeout)
        var runs: [CommandRun] = []
        let environment = workspace.environment(extra: ["SWIFT_BACKTRACE": "enable=no"])
        let common = ["-Onone", "-diagnostic-style", "llvm", "-module-cache-path", moduleCache]

        // 1. The solution as a testable library module.
        let moduleBuild = SandboxCommand(
            phase: "build",
            argv: [swiftc, "-wmo", "-parse-as-library", "-enable-testing", "-module-name", module,
                   "-emit-module", "-emit-module-path", "\(build)/\(module).swiftmodule", "-c"] + sourceFiles
                + ["-o", "\(build)/\(module).o"] + common,
            workspace: workspace.code, readOnlyPaths: [toolchainRoot], writablePaths: [moduleCache], environment: environment,
            timeout: deadline.timeIntervalSinceNow, limits: limits)
        runs.append(try await sandbox.run(moduleBuild))
        if let failed = failedBuild(runs, workspace: workspace, files: allFiles, task: task) { return failed }

        // 2. The tests and the generated entry point, linked with the module.
        let testBuild = SandboxCommand(
            phase: "build",
            argv: [swiftc, "-module-name", "SelfDebugTestRunner", "-I", build, "\(build)/\(module).o"] + testFiles
                + ["\(build)/main.swift", "-o", "\(build)/run-tests"] + common,
            workspace: workspace.code, readOnlyPaths: [toolchainRoot], writablePaths: [moduleCache], environment: environment,
            timeout: deadline.timeIntervalSinceNow, limits: limits)
        runs.append(try await sandbox.run(testBuild))
        if let failed = failedBuild(runs, workspace: workspace, files: allFiles, task: task) { return failed }

        // 3. The tests: XCTest, then Swift Testing (the same binary, switched by a variable).
        var outcomes: [ExecOutcome] = []
        if !classes.isEmpty || !swiftTesting {
            let testRun = SandboxCommand(
                phase: "test", argv: [workspace.code + "/\(build)/run-tests"], workspace: workspace.code, readOnlyPaths: [toolchainRoot],
                environment: environment, timeout: max(0.5, deadline.timeIntervalSinceNow), limits: limits)
            let run = try await sandbox.run(testRun)
            runs.append(run)
            outcomes.append(Self.testOutcome(run, runs: runs, workspace: workspace.code, classes: classes))
        }
        if swiftTesting, outcomes.allSatisfy({ $0.verdict != .timedOut }) {
            let testRun = SandboxCommand(
                phase: "test", argv: [workspace.code + "/\(build)/run-tests"], workspace: workspace.code, readOnlyPaths: [toolchainRoot],
                environment: environment.merging([XCTestManifest.swiftTestingSwitch: "1", "NO_COLOR": "1"]) { _, new in new },
                timeout: max(0.5, deadline.timeIntervalSinceNow), limits: limits)
            let run = try await sandbox.run(testRun)
            runs.append(run)
            outcomes.append(Self.swiftTestingOutcome(run, runs: runs, workspace: workspace.code))
        }
        return Self.combine(outcomes, runs: runs)
    }

    /// One outcome from the XCTest and Swift Testing runs: all tests, the worst verdict.
    static func combine(_ outcomes: [ExecOutcome], runs: [CommandRun]) -> ExecOutcome {
        guard outcomes.count > 1 else { return outcomes.first ?? ExecOutcome(verdict: .noTests, runs: runs) }
        let tests = outcomes.flatMap(\.tests)
        // The worst run decides; when every run ended normally, the one definition of a pass.
        let order: [Verdict] = [.interrupted, .timedOut, .crashed, .buildFailed, .testsFailed]
        let verdict = order.first { verdict in outcomes.contains { $0.verdict == verdict } } ?? Verdict.judging(tests)
        return ExecOutcome(verdict: verdict, runs: runs, tests: tests, notes: outcomes.flatMap(\.notes).filter { !$0.contains("No XCTestCase") })
    }

    static func swiftTestingOutcome(_ run: CommandRun, runs: [CommandRun], workspace: String) -> ExecOutcome {
        let output = run.stdout.text + "\n" + run.stderr.text
        let crashed = !run.timedOut && run.signal != nil
        let fatal = SwiftOutputParser.fatalError(in: output, workspace: workspace)
        let crashMessage = run.signal.map { (fatal.map { $0 + "; " } ?? "") + "killed by signal \($0) (\(FeedbackBuilder.signalName($0)))" }
        let tests = SwiftOutputParser.swiftTestingTests(output, workspace: workspace, timedOut: run.timedOut, crashMessage: crashMessage)
        var notes = run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." }
        let verdict = judge(run, tests: tests, crashed: crashed, notes: &notes)
        return ExecOutcome(verdict: verdict, runs: runs, tests: tests, notes: notes)
    }

    /// The verdict of one test process: how it ended first, then its tests by the one definition
    /// of a pass; a process that exits non-zero never passes, whatever its tests said.
    static func judge(_ run: CommandRun, tests: [TestCaseResult], crashed: Bool, notes: inout [String]) -> Verdict {
        if run.interrupted == true { return .interrupted }
        if run.timedOut { return .timedOut }
        if crashed || run.statusUnknown == true {
            if run.statusUnknown == true { notes.append("The test process \(run.endedHow).") }
            return .crashed
        }
        if tests.isEmpty { return run.exitStatus == 0 ? .noTests : .crashed }
        let judged = Verdict.judging(tests)
        if judged == .passed, run.exitStatus != 0 {
            notes.append("The test process \(run.endedHow) although every test it reported passed.")
            return .testsFailed
        }
        return judged
    }

    /// The outcome when the last build failed or ran out of time, else nil.
    func failedBuild(_ runs: [CommandRun], workspace: Workspace, files: [String: String], task: TaskSpec) -> ExecOutcome? {
        guard let last = runs.last, !last.succeeded else { return nil }
        let diagnostics = SwiftOutputParser.diagnostics(last.stderr.text + "\n" + last.stdout.text, workspace: workspace.code, files: files)
        if last.timedOut { return ExecOutcome(verdict: .timedOut, runs: runs, diagnostics: diagnostics, notes: ["The build did not finish in time."]) }
        return ExecOutcome(verdict: .buildFailed, runs: runs, diagnostics: diagnostics, notes: SwiftHints.notes(diagnostics, output: last.stderr.text + last.stdout.text))
    }

    static func testOutcome(_ run: CommandRun, runs: [CommandRun], workspace: String, classes: [XCTestManifest.TestClass]) -> ExecOutcome {
        let output = run.stdout.text + "\n" + run.stderr.text
        let crashed = !run.timedOut && run.signal != nil
        let fatal = SwiftOutputParser.fatalError(in: output, workspace: workspace)
        var crashMessage: String?
        if crashed, let signal = run.signal {
            crashMessage = (fatal.map { $0 + "; " } ?? "") + "killed by signal \(signal) (\(FeedbackBuilder.signalName(signal)))"
        }
        let tests = SwiftOutputParser.tests(output, workspace: workspace, crashed: crashed, timedOut: run.timedOut, crashMessage: crashMessage)
        var notes = run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." }
        let verdict = judge(run, tests: tests, crashed: crashed, notes: &notes)
        if verdict == .noTests, classes.isEmpty { notes.append("No XCTestCase subclass with test methods was found in the tests.") }
        return ExecOutcome(verdict: verdict, runs: runs, tests: tests, notes: notes)
    }
}
