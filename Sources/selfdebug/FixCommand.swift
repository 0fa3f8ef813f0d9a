import ArgumentParser
import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec
import SelfDebugSandbox

/// `selfdebug fix [DIR] --test "CMD"`: makes a project's failing test command pass by editing its
/// source in a sandboxed copy; DIR changes only when the final run passes; the change is saved as a patch.
struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Make a project's failing test command pass by editing its source; DIR is changed only when the final test run passes, and the change is saved as a patch.")

    @Argument(help: "The project folder.")
    var directory: String = "."

    @Option(name: .customLong("test"), help: "The shell command that runs the tests, e.g. \"python3 -m pytest -q\" or \"swift test\".")
    var testCommand: String

    @Flag(name: .customLong("allow-test-edits"), help: "Let the model edit test files and test configuration too.")
    var allowTestEdits = false

    @Flag(help: "Change files that have uncommitted changes in git.")
    var force = false

    @Flag(name: .customLong("trust-exit-code"), help: "Take exit status 0 as a pass even when the output shows no test results selfdebug can read.")
    var trustExitCode = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    /// What a fix run produced.
    struct Report {
        var result: RunResult
        var folder: RunFolder
        var interrupted: Bool
        var patchPath: String
        var changed: [String]
        var applied: Bool
    }

    func run() async throws {
        let session = try RunSession(modelOptions: modelOptions, runOptions: runOptions)
        guard let report = try await Self.perform(
            directory: directory, testCommand: testCommand, allowTestEdits: allowTestEdits, force: force,
            trustExitCode: trustExitCode, session: session)
        else { return }
        let where_ = report.applied ? "applied to \(directory): \(report.changed.joined(separator: ", "))" : "\(directory) is unchanged"
        try session.report(report.result, folder: report.folder, extra: ["patch": report.patchPath, "applied": report.applied ? "true" : "false"],
                           output: "patch: \(report.patchPath) (\(report.changed.count) file\(report.changed.count == 1 ? "" : "s")); \(where_).")
        try RunSession.exit(for: report.result, interrupted: report.interrupted)
    }

    /// Fixes the project with the session's options (used by `fix` and the MCP server); nil when
    /// the test command already passes.
    static func perform(
        directory: String, testCommand: String, allowTestEdits: Bool, force: Bool, trustExitCode: Bool = false, session: RunSession
    ) async throws -> Report? {
        let runOptions = session.runOptions
        let root = (directory as NSString).standardizingPath
        guard !testCommand.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CommandFailure(status: .badInput, description: "--test needs the command that runs the tests, e.g. --test \"python3 -m pytest -q\"")
        }
        let snapshot: ProjectSnapshot
        do {
            snapshot = try ProjectScanner.scan(root)
        } catch {
            throw CommandFailure(status: .badInput, description: "\(directory) is not a readable project folder: \(error.localizedDescription)")
        }
        let editable = snapshot.files.filter { allowTestEdits || !snapshot.testFiles.contains($0.key) }
        let tests = allowTestEdits ? [:] : snapshot.files.filter { snapshot.testFiles.contains($0.key) }

        // Never lose a user's work: files the model may change must be committed.
        let dirtyAtStart = await GitState.uncommittedPaths(in: root)
        if let dirty = dirtyAtStart, !force {
            let risky = dirty.filter { editable[$0] != nil }.sorted()
            if !risky.isEmpty {
                throw CommandFailure(status: .badInput, description: "\(directory) has uncommitted changes in files selfdebug may edit: "
                    + risky.prefix(10).joined(separator: ", ") + (risky.count > 10 ? ", ..." : "")
                    + ". Commit or stash them first, or pass --force.")
            }
        }

        var task = TaskSpec(
            title: "fix " + ((root as NSString).lastPathComponent), language: snapshot.language, solutionFiles: [], tests: tests,
            timeout: runOptions.timeout ?? 300, maxIterations: runOptions.maxIterations ?? 5, body: "", startingFiles: editable, source: root)
        task.testCommand = testCommand
        guard task.maxIterations >= 1, task.timeout > 0 else {
            throw CommandFailure(status: .badInput, description: "--max-iterations must be at least 1 and --timeout positive")
        }
        let limits = try runOptions.limits(timeout: task.timeout)
        let (model, modelName) = try session.makeModel()
        let executor: ProjectExecutor
        do {
            executor = try await ProjectExecutor(command: testCommand, sandbox: try session.makeSandbox(), limits: limits)
            executor.trustExitCode = trustExitCode
        } catch let error as SandboxUnavailable {
            throw CommandFailure(status: .unavailable, description: error.description)
        }

        // The baseline: what fails, and what the model needs to see.
        if session.talk { session.progress.say("running `\(testCommand)` on a sandboxed copy of \(directory)...") }
        let baseline = try await executor.run(ExecRequest(task: task, files: editable))
        if baseline.passed {
            if session.talk { session.progress.say("`\(testCommand)` already passes in \(directory): nothing to fix.") }
            return nil
        }
        if baseline.verdict == .noTests, baseline.runs.last?.exitStatus == 0 {
            // Nothing fails, and nothing shows that tests ran: there is nothing to fix, and no way to tell a fix.
            throw CommandFailure(status: .badInput, description: "nothing to fix, and no way to tell a fix: in \(directory), "
                + (baseline.notes.last ?? "`\(testCommand)` exits 0 without showing tests that ran."))
        }
        task.body = Self.prompt(task: task, snapshot: snapshot, baseline: baseline, command: testCommand, tests: tests)
        var configuration = session.configuration(model: modelName, task: task)
        configuration.baseline = baseline
        let (result, folder, interrupted) = try await session.run(
            task: task, title: "fix \(directory)", model: model, modelName: modelName, executor: executor, configuration: configuration)

        // The change, as a patch; applied to DIR only when the tests pass.
        let original = snapshot.files
        let final = result.files.isEmpty ? editable : result.files
        let patch = try await Patch.unified(from: original, to: final)
        let patchPath = (folder.path as NSString).appendingPathComponent("fix.patch")
        try patch.write(toFile: patchPath, atomically: true, encoding: .utf8)
        let changed = Patch.changedPaths(from: original, to: final)
        var applied = false
        if result.summary.status == .solved, !changed.isEmpty {
            if let dirty = await GitState.uncommittedPaths(in: root), !force {
                let risky = changed.filter { dirty.contains($0) }
                if !risky.isEmpty {
                    throw CommandFailure(status: .badInput, description: "not applied: \(risky.joined(separator: ", ")) changed in \(directory) during the run. "
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
        return Report(result: result, folder: folder, interrupted: interrupted, patchPath: patchPath, changed: changed, applied: applied)
    }

    /// The first message: what fails, the project map, the failing tests and the files they point at.
    static func prompt(task: TaskSpec, snapshot: ProjectSnapshot, baseline: ExecOutcome, command: String, tests: [String: String], budget: Int = 24_000) -> String {
        var text = "# Fix the failing tests\n\nIn this \(task.language == .swift ? "Swift package" : "Python project"), the test command `\(command)` fails. "
            + "Make it pass by changing the project's source. "
            + (tests.isEmpty ? "You may also change the tests." : "The tests and their configuration are read-only: fix the code, not the tests.")
            + "\n\n## What the test command reported\n\n"
            + FeedbackBuilder(budget: 6000).feedback(for: baseline, task: task)
            + "\n\n## Project map (files with their top-level declarations)\n\n" + ProjectScanner.map(snapshot)
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
        text += "\n\n## Relevant files\n"
        var used = text.count
        var omitted: [String] = []
        for path in relevant {
            let content = snapshot.files[path] ?? ""
            let block = "\n" + Prompts.fileBlock(path, content, fence: task.language.fenceTag, label: snapshot.testFiles.contains(path) ? " (test, read-only)" : "")
            if used + block.count > budget { omitted.append(path); continue }
            text += block
            used += block.count
        }
        if !omitted.isEmpty { text += "\nNot shown to stay short (ask with READ: path): \(omitted.joined(separator: ", "))\n" }
        return text
    }
}
