import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Runs a project's own test command in the sandbox, on a persistent copy of the project (so
/// SwiftPM and Python reuse their build products between iterations), and reads its output.
public final class ProjectExecutor: Executor, @unchecked Sendable {
    /// The shell command that runs the tests (`pytest -q`, `swift test`...).
    public let command: String
    let sandbox: any Sandbox
    let limits: ResourceLimits
    let toolchainPaths: [String]
    let binPaths: [String]
    let workspace: PersistentWorkspace

    /// Creates an executor that runs `command`; the Python and Swift toolchains found are visible (read-only) in the sandbox.
    public init(command: String, sandbox: any Sandbox, limits: ResourceLimits) async throws {
        self.command = command
        self.sandbox = sandbox
        self.limits = limits
        var toolchains: [String] = []
        var bins: [String] = []
        if let python = try? await Toolchain.python() {
            toolchains.append(Toolchain.pythonPrefix(python))
            bins.append((python as NSString).deletingLastPathComponent)
        }
        if let swiftc = try? Toolchain.swiftc() {
            toolchains.append(Toolchain.swiftRoot(swiftc))
            bins.append((swiftc as NSString).deletingLastPathComponent)
        }
        toolchainPaths = toolchains
        binPaths = bins
        workspace = try PersistentWorkspace()
        if let bubblewrap = sandbox as? BubblewrapSandbox { try await bubblewrap.probe() }
    }

    /// The sandbox, the limits and the command.
    public var description: String { "sandbox: \(sandbox.description); limits: \(limits.summary); test command: \(command)" }

    /// The persistent copy's folder (as the sandbox sees it).
    public var workspacePath: String { workspace.code }

    /// Writes the files (the pristine tests over them), runs the command, reads its output. The
    /// command's exit status is the verdict: 0 passes.
    public func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let files = request.files.merging(request.task.tests) { _, test in test }
        try workspace.sync(files)
        let code = workspace.code
        var environment = Workspace.environment(home: workspace.home, binPaths: binPaths, extra: [
            "PYTHONDONTWRITEBYTECODE": "1", "PY_COLORS": "0", "NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no", "TERM": "dumb",
        ])
        // A src/ layout imports without an install.
        environment["PYTHONPATH"] = FileManager.default.fileExists(atPath: code + "/src") ? code + "/src:" + code : code
        let run = try await sandbox.run(SandboxCommand(
            phase: "test", argv: ["/bin/sh", "-c", command], workspace: code, readOnlyPaths: toolchainPaths,
            environment: environment, timeout: request.task.timeout, limits: limits))
        return Self.outcome(run, workspace: code, files: files)
    }

    static func outcome(_ run: CommandRun, workspace: String, files: [String: String]) -> ExecOutcome {
        let parsed = TestOutputParser.parse(run.stdout.text + "\n" + run.stderr.text, workspace: workspace, files: files)
        let verdict: Verdict
        if run.timedOut { verdict = .timedOut }
        else if run.exitStatus == 0 { verdict = .passed }
        else if run.signal != nil && parsed.tests.isEmpty { verdict = .crashed }
        else if parsed.tests.isEmpty && parsed.diagnostics.contains(where: { $0.severity == "error" }) { verdict = .buildFailed }
        else { verdict = .testsFailed }
        var outcome = ExecOutcome(
            verdict: verdict, runs: [run], diagnostics: parsed.diagnostics, tests: parsed.tests,
            notes: run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." })
        outcome.totals = parsed.totals
        outcome.referencedFiles = parsed.referencedFiles
        return outcome
    }
}
