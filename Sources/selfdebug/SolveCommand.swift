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

    @Argument(help: "The task file (Markdown with YAML front matter); not needed with --resume.")
    var taskFile: String?

    @Option(help: "Continue a run from its folder: the recorded replies are served (matched by a hash of the request) until the record runs out, then the model takes over; the new run gets its own folder.")
    var resume: String?

    @Option(name: .customLong("from-step"), help: "With --resume: serve the recorded replies only before this iteration, and ask the model from it on (a new branch).")
    var fromStep: Int?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        var session = try RunSession(modelOptions: modelOptions, runOptions: runOptions)
        guard taskFile != nil || resume != nil else {
            throw CommandFailure(status: .badInput, description: "give a task file, or --resume RUN_DIR")
        }
        if fromStep != nil, resume == nil { throw CommandFailure(status: .badInput, description: "--from-step needs --resume RUN_DIR") }
        if let fromStep, fromStep < 1 { throw CommandFailure(status: .badInput, description: "--from-step must be at least 1") }
        var recordedTask: TaskSpec?
        if let resume {
            let record = try RunRecord.opened(resume)
            recordedTask = record.task
            // The same model name, or no request would match the record.
            if session.modelOptions.model == nil, !record.start.model.isEmpty {
                session.modelOptions.model = record.start.model
            }
            session.recordedReplies = RecordedModel.replies(in: record.events, beforeIteration: fromStep ?? Int.max)
            if session.talk { session.progress.say("resuming from \(resume): \(session.recordedReplies?.count ?? 0) recorded replies to serve" + (fromStep.map { " (before iteration \($0))" } ?? "")) }
        }
        let (result, folder, interrupted) = try await Self.perform(taskFile: taskFile, task: recordedTask, session: session)
        try session.report(result, folder: folder, output: "solution: \((folder.path as NSString).appendingPathComponent("solution"))/")
        try RunSession.exit(for: result, interrupted: interrupted)
    }

    /// Solves the task file with the session's options (used by `solve` and the MCP server).
    static func perform(taskFile: String?, task recorded: TaskSpec? = nil, session: RunSession) async throws -> (RunResult, RunFolder, interrupted: Bool) {
        let runOptions = session.runOptions

        // 1. The task (bad input: exit 2), from the file or from a recorded run.
        var task: TaskSpec
        if let recorded {
            task = recorded
        } else {
            do {
                let parsed = try TaskFileParser().parse(fileAt: taskFile ?? "")
                task = parsed.task
                session.applySettings(to: &task, explicit: parsed.explicitKeys)
                if session.talk { parsed.warnings.forEach { session.progress.say($0.description) } }
            } catch let error as TaskFileError {
                throw CommandFailure(status: .badInput, description: error.description)
            }
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
        let executor: any Executor
        do {
            executor = try await ExecutorFactory.make(for: task, sandbox: try session.makeSandbox(), limits: limits)
        } catch let error as EngineerError {
            throw CommandFailure(status: .unavailable, description: error.description)
        }
        return try await session.run(
            task: task, title: task.title ?? taskFile ?? "task", model: model, modelName: modelName, executor: executor,
            configuration: session.configuration(model: modelName, task: task))
    }
}
