import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// A package's workspace that lives as long as the executor: each iteration writes only the files
/// that changed and keeps `.build`, so SwiftPM rebuilds only what changed.
final class PackageWorkspace: @unchecked Sendable {
    let root: String
    let code: String
    let home: String
    private let lock = NSLock()
    private var written: [String: String] = [:]

    init() throws {
        root = (NSTemporaryDirectory() as NSString).appendingPathComponent("selfdebug-\(getpid())-package-\(UUID().uuidString.prefix(8).lowercased())")
        code = root + "/code"
        home = root + "/home"
        for folder in [code, home + "/tmp"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Makes the workspace hold exactly `files` (besides `.build`): writes what changed, removes
    /// what is gone, and rewrites any file the code under test changed or deleted.
    func sync(_ files: [String: String]) throws {
        try lock.withLock {
            for (path, content) in files {
                let full = (code as NSString).appendingPathComponent(path)
                let onDisk = FileManager.default.contents(atPath: full).map { String(decoding: $0, as: UTF8.self) }
                if written[path] == content, onDisk == content { continue }
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: full)
                try Data(content.utf8).write(to: URL(fileURLWithPath: full))
                written[path] = content
            }
            for path in written.keys where files[path] == nil {
                try? FileManager.default.removeItem(atPath: (code as NSString).appendingPathComponent(path))
                written[path] = nil
            }
        }
    }
}

/// Package mode: the task's files form a SwiftPM package (a `Package.swift` among them). Built
/// with `swift build --build-tests` and tested with `swift test --skip-build`, in the sandbox,
/// reusing the build folder between iterations.
struct SwiftPackageRunner {
    let swift: String
    let toolchainRoot: String
    let sandbox: any Sandbox
    let limits: ResourceLimits
    let workspace: PackageWorkspace

    func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let task = request.task
        // The agent's files, then the pristine tests over them.
        let files = request.files.merging(task.tests) { _, test in test }
        try workspace.sync(files)
        let deadline = Date().addingTimeInterval(task.timeout)
        let environment = [
            "PATH": (swift as NSString).deletingLastPathComponent + ":/usr/local/bin:/usr/bin:/bin",
            "HOME": workspace.home, "TMPDIR": workspace.home + "/tmp", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "SWIFT_BACKTRACE": "enable=no", "NO_COLOR": "1",
        ]
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
                               notes: SwiftTestRunner.foundationHint(diagnostics, output: last.stdout.text + last.stderr.text))
        }
        let test = SandboxCommand(
            phase: "test", argv: [swift, "test", "--skip-build"], workspace: workspace.code, readOnlyPaths: [toolchainRoot],
            environment: environment, timeout: max(0.5, deadline.timeIntervalSinceNow), limits: limits)
        let run = try await sandbox.run(test)
        runs.append(run)
        return Self.outcome(run, runs: runs, workspace: workspace.code)
    }

    /// XCTest and Swift Testing results from `swift test`'s output.
    static func outcome(_ run: CommandRun, runs: [CommandRun], workspace: String) -> ExecOutcome {
        let output = run.stdout.text + "\n" + run.stderr.text
        let fatal = SwiftOutputParser.fatalError(in: output, workspace: workspace)
        let crashMessage = fatal.map { $0 + "; the test process crashed" }
        var tests = SwiftOutputParser.tests(output, workspace: workspace, crashed: false, timedOut: run.timedOut, crashMessage: crashMessage)
        if !output.contains("Test Case '") { tests = [] }
        tests += SwiftOutputParser.swiftTestingTests(output, workspace: workspace, timedOut: run.timedOut, crashMessage: crashMessage)
        let verdict: Verdict
        if run.timedOut { verdict = .timedOut }
        else if tests.contains(where: { $0.outcome == .crashed }) || (fatal != nil && run.exitStatus != 0) { verdict = .crashed }
        else if tests.isEmpty { verdict = .noTests }
        else if tests.allSatisfy(\.passed), run.exitStatus == 0 { verdict = .passed }
        else { verdict = .testsFailed }
        return ExecOutcome(verdict: verdict, runs: runs, tests: tests, notes: run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." })
    }
}
