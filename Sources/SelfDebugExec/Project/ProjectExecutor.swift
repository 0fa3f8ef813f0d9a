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

    /// Take exit status 0 as a pass even when the output shows no test results selfdebug can read.
    public var trustExitCode = false
    private let lock = NSLock()
    private var baselineCounts: TestTotals?
    private var firstRunDone = false

    /// Writes the files (the pristine tests over them), resets anything an earlier run created,
    /// runs the command, reads its output. Green needs exit 0 *and* output that shows tests that
    /// ran, none failing, and no fewer than the first run of this executor (the baseline) ran;
    /// output selfdebug cannot read passes only with ``trustExitCode``.
    public func run(_ request: ExecRequest) async throws -> ExecOutcome {
        let files = request.files.merging(request.task.tests) { _, test in test }
        let removed = try workspace.sync(files)
        let code = workspace.code
        var environment = Workspace.environment(home: workspace.home, binPaths: binPaths, extra: [
            "PYTHONDONTWRITEBYTECODE": "1", "PY_COLORS": "0", "NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no", "TERM": "dumb",
        ])
        // A src/ layout imports without an install.
        environment["PYTHONPATH"] = FileManager.default.fileExists(atPath: code + "/src") ? code + "/src:" + code : code
        let run = try await sandbox.run(SandboxCommand(
            phase: "test", argv: ["/bin/sh", "-c", command], workspace: code, readOnlyPaths: toolchainPaths,
            environment: environment, timeout: request.task.timeout, limits: limits))
        let baseline: TestTotals? = lock.withLock { firstRunDone ? baselineCounts : nil }
        var outcome = Self.outcome(run, workspace: code, files: files, baseline: baseline, trustExitCode: trustExitCode, command: command)
        lock.withLock {
            if !firstRunDone {
                firstRunDone = true
                baselineCounts = Self.counts(outcome)
            }
        }
        outcome.notes = PersistentWorkspace.removalNote(removed) + outcome.notes
        return outcome
    }

    /// The tests a run reported: the command's own summary when it printed one, else the per-test
    /// results it showed (XCTest and Swift Testing list every test); nil when it showed neither.
    static func counts(_ outcome: ExecOutcome) -> TestTotals? {
        if let totals = outcome.totals { return totals }
        guard !outcome.tests.isEmpty else { return nil }
        return TestTotals(passed: outcome.passedCount, failed: outcome.failedCount, skipped: outcome.skippedCount)
    }

    static func outcome(_ run: CommandRun, workspace: String, files: [String: String], baseline: TestTotals? = nil,
                        trustExitCode: Bool = false, command: String = "the test command") -> ExecOutcome {
        let parsed = TestOutputParser.parse(run.stdout.text + "\n" + run.stderr.text, workspace: workspace, files: files)
        var notes = run.limitsHit.filter { !$0.hasPrefix("timed out") }.map { "Limit hit: \($0)." }
        var outcome = ExecOutcome(verdict: .testsFailed, runs: [run], diagnostics: parsed.diagnostics, tests: parsed.tests)
        outcome.totals = parsed.totals
        outcome.referencedFiles = parsed.referencedFiles
        if run.interrupted == true { outcome.verdict = .interrupted }
        else if run.timedOut { outcome.verdict = .timedOut }
        else if run.statusUnknown == true {
            outcome.verdict = .crashed
            notes.append("`\(command)` \(run.endedHow).")
        } else if run.exitStatus == 0 {
            outcome.verdict = greenVerdict(counts(outcome), baseline: baseline, trustExitCode: trustExitCode, command: command, notes: &notes)
        } else if run.signal != nil && parsed.tests.isEmpty { outcome.verdict = .crashed }
        else if parsed.tests.isEmpty && parsed.diagnostics.contains(where: { $0.severity == "error" }) { outcome.verdict = .buildFailed }
        outcome.notes = notes
        return outcome
    }

    /// Exit 0 is green only when the output shows tests that ran, none failed, and no fewer ran
    /// than in the baseline.
    static func greenVerdict(_ counts: TestTotals?, baseline: TestTotals?, trustExitCode: Bool, command: String, notes: inout [String]) -> Verdict {
        guard let counts else {
            if trustExitCode {
                notes.append("`\(command)` exited 0; its output shows no test results selfdebug can read, and --trust-exit-code takes exit 0 as a pass.")
                return .passed
            }
            notes.append("`\(command)` exited 0, but its output shows no test results selfdebug can read, so this is not a pass "
                + "(a command that exits 0 without running its tests must not count). Use a test command whose output shows its results "
                + "(pytest, unittest, XCTest, Swift Testing), or pass --trust-exit-code to take exit status 0 as a pass.")
            return .noTests
        }
        if counts.failed > 0 {
            notes.append("`\(command)` exited 0 although its output reports \(counts.failed) failing test\(counts.failed == 1 ? "" : "s").")
            return .testsFailed
        }
        let ran = counts.passed
        if ran == 0 {
            notes.append("`\(command)` exited 0 but ran no tests" + (counts.skipped > 0 ? " (\(counts.skipped) skipped)." : "."))
            return .noTests
        }
        if let baseline {
            let before = baseline.passed + baseline.failed
            if ran < before || ran + counts.skipped < before + baseline.skipped {
                notes.append("`\(command)` exited 0, but only \(ran) test\(ran == 1 ? "" : "s") ran and passed"
                    + (counts.skipped > 0 ? " (\(counts.skipped) skipped)" : "")
                    + ", fewer than the \(before) that ran at the start: tests that stop running do not pass.")
                return .testsFailed
            }
        }
        return .passed
    }
}
