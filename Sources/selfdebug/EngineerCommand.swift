import ArgumentParser
import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugSandbox

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
        let session = try RunSession(modelOptions: modelOptions, runOptions: runOptions)
        let data: Data
        if let input {
            guard let contents = FileManager.default.contents(atPath: input) else {
                throw CommandFailure(status: .badInput, description: "cannot read the request file \(input)")
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        var request: EngineerRequest
        do {
            request = try EngineerRequest.decode(data)
        } catch let error as EngineerError {
            throw CommandFailure(status: .badInput, description: "\(error.description) (in \(input ?? "standard input"))")
        }
        // Flags win over the request's limits.
        if runOptions.maxIterations != nil || runOptions.timeout != nil {
            var limits = request.limits ?? .init()
            limits.maxIterations = runOptions.maxIterations ?? limits.maxIterations
            limits.timeout = runOptions.timeout ?? limits.timeout
            request.limits = limits
        }
        let task = try EngineerStage.task(for: request)
        let (model, modelName) = try session.makeModel()
        var stage = EngineerStage(model: model, modelName: modelName, sandbox: try session.makeSandbox(), limits: try runOptions.limits(timeout: task.timeout))
        stage.loopSettings = session.configuration(model: modelName, task: task)
        let folder: RunFolder
        do {
            folder = try RunFolder.create(out: runOptions.out, slug: "engineer-" + task.slug)
        } catch let error as RunFolderError {
            throw CommandFailure(status: .badInput, description: error.description)
        }
        if session.talk { session.progress.say("selfdebug engineer · \(task.title ?? "") (\(task.language.rawValue)) · model \(modelName) · run folder: \(folder.path)") }
        let work = Task { try await stage.run(request, runFolder: folder, progress: session.talk ? session.progress : SilentProgress()) }
        let interrupts = InterruptHandler { work.cancel() }
        let result: EngineerResult
        do {
            result = try await work.value
        } catch where ExitStatus(for: error) == .internalError {
            throw CommandFailure.internalError(error, runFolder: folder.path)
        }
        FileHandle.standardOutput.write(Data((try result.json() + "\n").utf8))
        if interrupts.wasInterrupted || result.error == "interrupted" { throw ExitCode(ExitStatus.interrupted.rawValue) }
        switch result.status {
        case "solved": return
        case "unsolved": throw ExitCode(ExitStatus.unsolved.rawValue)
        // The loop ends in an error only when the model or the sandbox could not be used (interrupts are above).
        default: throw ExitCode(ExitStatus.unavailable.rawValue)
        }
    }
}
