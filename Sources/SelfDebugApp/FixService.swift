import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec
import SelfDebugSandbox

/// What a fix run produced: the run, and the change as a patch (applied to the project only when
/// the tests pass).
public struct FixReport: Sendable {
    /// The loop's run.
    public var run: LoopRun
    /// The patch file of the change, in the run folder.
    public var patchPath: String
    /// The project files the change touches.
    public var changed: [String]
    /// Whether the change was written to the project.
    public var applied: Bool

    /// What the loop gave.
    public var result: RunResult { run.result }
    /// The run folder.
    public var folder: RunFolder { run.folder }
    /// Whether Ctrl-C stopped the run.
    public var interrupted: Bool { run.interrupted }
}

/// What `fix` gave: nothing to do, or a run.
public enum FixOutcome: Sendable {
    /// The test command already passes: nothing was run and nothing changed.
    case alreadyPasses
    /// The loop ran.
    case ran(FixReport)

    /// The exit status: 0 when the tests already passed, else the run's.
    public var exitStatus: ExitStatus {
        switch self {
        case .alreadyPasses: .solved
        case .ran(let report): report.run.exitStatus
        }
    }
}

/// `fix`: makes a project's failing test command pass by editing its source in a sandboxed copy;
/// the project changes only when the final run passes, and the change is saved as a patch.
public struct FixService: Sendable {
    /// The session's choices, configuration and reporter.
    public let session: AppSession

    /// A service that runs with `session`.
    public init(session: AppSession) { self.session = session }

    /// The project and its test command.
    public struct Request: Sendable {
        /// The project folder.
        public var directory: String
        /// The shell command that runs the tests.
        public var testCommand: String
        /// Whether the model may edit test files and test configuration too.
        public var allowTestEdits = false
        /// Whether files with uncommitted changes in git may be changed.
        public var force = false
        /// Whether exit status 0 is a pass even when the output shows no test results selfdebug can read.
        public var trustExitCode = false

        /// A request to make `testCommand` pass in `directory`.
        public init(directory: String, testCommand: String, allowTestEdits: Bool = false, force: Bool = false, trustExitCode: Bool = false) {
            self.directory = directory
            self.testCommand = testCommand
            self.allowTestEdits = allowTestEdits
            self.force = force
            self.trustExitCode = trustExitCode
        }
    }

    /// Fixes the project. Uncommitted work the model could touch, an empty test command or one
    /// that shows no tests are bad input; a model or sandbox that cannot be used is unavailable.
    public func fix(_ request: Request) async throws -> FixOutcome {
        let (directory, testCommand, allowTestEdits, force, trustExitCode) =
            (request.directory, request.testCommand, request.allowTestEdits, request.force, request.trustExitCode)
        let runSettings = session.runSettings
        let root = (directory as NSString).standardizingPath
        guard !testCommand.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AppError(.badInput, "--test needs the command that runs the tests, e.g. --test \"python3 -m pytest -q\"")
        }
        let snapshot: ProjectSnapshot
        do {
            snapshot = try ProjectScanner.scan(root)
        } catch {
            throw AppError(.badInput, "\(directory) is not a readable project folder: \(error.localizedDescription)")
        }
        let editable = snapshot.files.filter { allowTestEdits || !snapshot.testFiles.contains($0.key) }
        let tests = allowTestEdits ? [:] : snapshot.files.filter { snapshot.testFiles.contains($0.key) }

        // Never lose a user's work: files the model may change must be committed.
        let dirtyAtStart = await GitState.uncommittedPaths(in: root)
        if let dirty = dirtyAtStart, !force {
            let risky = dirty.filter { editable[$0] != nil }.sorted()
            if !risky.isEmpty {
                throw AppError(.badInput, "\(directory) has uncommitted changes in files selfdebug may edit: "
                    + risky.prefix(10).joined(separator: ", ") + (risky.count > 10 ? ", ..." : "")
                    + ". Commit or stash them first, or pass --force.")
            }
        }

        var task = TaskSpec(
            title: "fix " + ((root as NSString).lastPathComponent), language: snapshot.language, solutionFiles: [], tests: tests,
            timeout: runSettings.timeout ?? 300, maxIterations: runSettings.maxIterations ?? 5, body: "", startingFiles: editable, source: root)
        task.testCommand = testCommand
        guard task.maxIterations >= 1, task.timeout > 0 else {
            throw AppError(.badInput, "--max-iterations must be at least 1 and --timeout positive")
        }
        let limits = try runSettings.limits(timeout: task.timeout)
        let model = try session.makeModel()
        let executor: ProjectExecutor
        do {
            executor = try await ProjectExecutor(command: testCommand, sandbox: try session.makeSandbox(), limits: limits)
            executor.trustExitCode = trustExitCode
        } catch let error as SandboxUnavailable {
            throw AppError(.unavailable, error.description)
        }

        // The baseline: what fails, and what the model needs to see.
        session.say("running `\(testCommand)` on a sandboxed copy of \(directory)...")
        let baseline = try await executor.run(ExecRequest(task: task, files: editable))
        if baseline.passed {
            session.say("`\(testCommand)` already passes in \(directory): nothing to fix.")
            return .alreadyPasses
        }
        if baseline.verdict == .noTests, baseline.runs.last?.exitStatus == 0 {
            // Nothing fails, and nothing shows that tests ran: there is nothing to fix, and no way to tell a fix.
            throw AppError(.badInput, "nothing to fix, and no way to tell a fix: in \(directory), "
                + (baseline.notes.last ?? "`\(testCommand)` exits 0 without showing tests that ran."))
        }
        task.body = Self.prompt(task: task, snapshot: snapshot, baseline: baseline, command: testCommand, tests: tests)
        var configuration = session.configuration(model: model.name, task: task)
        configuration.baseline = baseline
        let run = try await session.runLoop(task: task, title: "fix \(directory)", model: model, executor: executor, configuration: configuration)
        let result = run.result

        // The change, as a patch; applied to DIR only when the tests pass.
        let original = snapshot.files
        let final = result.files.isEmpty ? editable : result.files
        let patch = try await Patch.unified(from: original, to: final)
        let patchPath = (run.folder.path as NSString).appendingPathComponent("fix.patch")
        try patch.write(toFile: patchPath, atomically: true, encoding: .utf8)
        let changed = Patch.changedPaths(from: original, to: final)
        var applied = false
        if result.summary.status == .solved, !changed.isEmpty {
            if let dirty = await GitState.uncommittedPaths(in: root), !force {
                let risky = changed.filter { dirty.contains($0) }
                if !risky.isEmpty {
                    throw AppError(.badInput, "not applied: \(risky.joined(separator: ", ")) changed in \(directory) during the run. "
                        + "The fix is in \(patchPath); apply it with `git apply` when ready, or rerun with --force.")
                }
            }
            for path in changed {
                let full = (root as NSString).appendingPathComponent(path)
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data((final[path] ?? "").utf8).write(to: URL(fileURLWithPath: full))
            }
            applied = true
        }
        return .ran(FixReport(run: run, patchPath: patchPath, changed: changed, applied: applied))
    }

    /// The first message: what fails, the project map, the failing tests and the files they point at.
    public static func prompt(task: TaskSpec, snapshot: ProjectSnapshot, baseline: ExecOutcome, command: String, tests: [String: String], budget: Int = 24_000) -> String {
        var text = Prompts.fixTask(language: task.language, command: command, testsReadOnly: !tests.isEmpty,
                                   report: FeedbackBuilder(budget: 6000).feedback(for: baseline, task: task), projectMap: ProjectScanner.map(snapshot))
        // The failing tests' files first, then the files named in tracebacks and diagnostics.
        var relevant: [String] = []
        for test in baseline.tests where !test.passed {
            if let file = test.location?.split(separator: ":").first.map(String.init), snapshot.files[file] != nil, !relevant.contains(file) {
                relevant.append(file)
            }
        }
        for file in (baseline.referencedFiles ?? []) + baseline.diagnostics.map(\.file) where snapshot.files[file] != nil && !relevant.contains(file) {
            relevant.append(file)
        }
        // Then the source the failing tests import.
        for file in relevant where snapshot.testFiles.contains(file) {
            for imported in ProjectScanner.importedFiles(of: file, in: snapshot) where !relevant.contains(imported) {
                relevant.append(imported)
            }
        }
        if relevant.isEmpty {
            relevant = snapshot.files.keys.filter { !snapshot.testFiles.contains($0) && ($0.hasSuffix(".py") || $0.hasSuffix(".swift")) }.sorted()
        }
        var used = text.count
        var omitted: [String] = []
        for path in relevant {
            let content = snapshot.files[path] ?? ""
            let block = "\n" + Prompts.fileBlock(path, content, fence: task.language.fenceTag, label: snapshot.testFiles.contains(path) ? Prompts.readOnlyTestLabel : "")
            if used + block.count > budget { omitted.append(path); continue }
            text += block
            used += block.count
        }
        if !omitted.isEmpty { text += Prompts.notShown(omitted) }
        return text
    }
}
