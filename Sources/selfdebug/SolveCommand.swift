import ArgumentParser
import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec
import SelfDebugSandbox

/// `selfdebug solve TASK.md`.
struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve a task file: write code until its tests pass; the final files land in the run folder's solution/.")

    @Argument(help: "The task file (Markdown with YAML front matter).")
    var taskFile: String

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        let session = RunSession(modelOptions: modelOptions, runOptions: runOptions)
        let (result, folder, interrupted) = try await Self.perform(taskFile: taskFile, session: session)
        try session.report(result, folder: folder, output: "solution: \((folder.path as NSString).appendingPathComponent("solution"))/")
        try RunSession.exit(for: result, interrupted: interrupted)
    }

    /// Solves the task file with the session's options (used by `solve` and the MCP server).
    static func perform(taskFile: String, session: RunSession) async throws -> (RunResult, RunFolder, interrupted: Bool) {
        let runOptions = session.runOptions

        // 1. The task (bad input: exit 2).
        var task: TaskSpec
        do {
            let parsed = try TaskFileParser().parse(fileAt: taskFile)
            task = parsed.task
            if session.talk { parsed.warnings.forEach { session.progress.say($0.description) } }
        } catch let error as TaskFileError {
            throw CommandFailure(status: .badInput, description: error.description)
        }
        if let maxIterations = runOptions.maxIterations {
            guard maxIterations >= 1 else { throw CommandFailure(status: .badInput, description: "--max-iterations must be at least 1") }
            task.maxIterations = maxIterations
        }
        if let timeout = runOptions.timeout {
            guard timeout > 0 else { throw CommandFailure(status: .badInput, description: "--timeout must be a positive number of seconds") }
            task.timeout = timeout
        }
        let limits = try runOptions.limits(timeout: task.timeout)

        // 2. The model and the sandbox (unreachable or missing: exit 3), then the loop.
        let (model, modelName) = try session.makeModel()
        let executor: TaskExecutor
        do {
            executor = try await TaskExecutor.make(for: task.language, sandbox: try session.makeSandbox(), limits: limits)
        } catch let error as ToolchainError {
            throw CommandFailure(status: .unavailable, description: error.description)
        } catch let error as SandboxUnavailable {
            throw CommandFailure(status: .unavailable, description: error.description)
        }
        return try await session.run(
            task: task, title: task.title ?? taskFile, model: model, modelName: modelName, executor: executor,
            configuration: session.configuration(model: modelName, task: task))
    }
}
