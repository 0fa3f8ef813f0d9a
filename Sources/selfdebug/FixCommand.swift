import ArgumentParser
import Foundation
import SelfDebugApp

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

    func run() async throws {
        let run = try TerminalRun(modelOptions: modelOptions, runOptions: runOptions)
        let request = FixService.Request(
            directory: directory, testCommand: testCommand, allowTestEdits: allowTestEdits, force: force, trustExitCode: trustExitCode)
        guard case .ran(let report) = try await FixService(session: run.session).fix(request) else { return }
        let where_ = report.applied ? "applied to \(directory): \(report.changed.joined(separator: ", "))" : "\(directory) is unchanged"
        run.report(report.run, extra: ["patch": report.patchPath, "applied": report.applied ? "true" : "false"],
                   output: "patch: \(report.patchPath) (\(report.changed.count) file\(report.changed.count == 1 ? "" : "s")); \(where_).")
        try TerminalRun.exit(with: report.run.exitStatus)
    }
}
