import ArgumentParser
import Foundation
import SelfDebugApp

/// `selfdebug engineer`: the engineer stage of a pipeline; one JSON request in, one JSON result out.
struct EngineerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engineer",
        abstract: "The engineer stage of a pipeline: one JSON request on stdin (or --input FILE), one JSON result on stdout.",
        discussion: """
        Request: {"requirement", "design"?, "tasks"?, "language": "python"|"swift", "files"?, "tests"?: {path: content}, \
        "test_command"?, "workspace"?, "limits"?: {"max_iterations", "timeout"}}. Result: {"status", "files", \
        "tests": {"passed", "failed", "output"}, "iterations", "usage": {"prompt_tokens", "completion_tokens"}, "run_dir", ...}.
        """)

    @Option(help: "Read the request from this file instead of standard input.")
    var input: String?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        let run = try TerminalRun(modelOptions: modelOptions, runOptions: runOptions)
        let data: Data
        if let input {
            guard let contents = FileManager.default.contents(atPath: input) else {
                throw AppError(.badInput, "cannot read the request file \(input)")
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let request = try EngineerService.decode(data, from: input ?? "standard input")
        let outcome = try await EngineerService(session: run.session).run(request)
        FileHandle.standardOutput.write(Data((try outcome.result.json() + "\n").utf8))
        try TerminalRun.exit(with: outcome.exitStatus)
    }
}
