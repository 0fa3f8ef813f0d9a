import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec

/// `solve`: a task file (or a recorded run's task) solved by the loop in a new run folder.
public struct SolveService: Sendable {
    /// The session's choices, configuration and reporter.
    public let session: AppSession

    /// A service that runs with `session`.
    public init(session: AppSession) { self.session = session }

    /// What to solve: a task file, or the task of a recorded run (`--resume`).
    public struct Request: Sendable {
        /// The task file (Markdown with YAML front matter); its limits are completed from the configuration.
        public var taskFile: String?
        /// A task as a run recorded it, taken as recorded; it wins over `taskFile`, which then only
        /// names the run when the task has no title.
        public var recordedTask: TaskSpec?

        /// A request for the task in `taskFile`, or for `recordedTask`.
        public init(taskFile: String?, recordedTask: TaskSpec? = nil) {
            self.taskFile = taskFile
            self.recordedTask = recordedTask
        }
    }

    /// Solves the task; the final files land in the run folder's `solution/`. A bad task or
    /// option is bad input, a model or sandbox that cannot be used is unavailable.
    public func solve(_ request: Request) async throws -> LoopRun {
        let runSettings = session.runSettings

        // 1. The task (bad input: exit 2), from the file or from a recorded run.
        var task: TaskSpec
        if let recorded = request.recordedTask {
            task = recorded
        } else {
            do {
                let parsed = try TaskFileParser().parse(fileAt: request.taskFile ?? "")
                task = parsed.task
                session.applySettings(to: &task, explicit: parsed.explicitKeys)
                parsed.warnings.forEach { session.say($0.description) }
            } catch let error as TaskFileError {
                throw AppError(.badInput, error.description)
            }
        }
        if let maxIterations = runSettings.maxIterations {
            guard maxIterations >= 1 else { throw AppError(.badInput, "--max-iterations must be at least 1") }
            task.maxIterations = maxIterations
        }
        if let timeout = runSettings.timeout {
            guard timeout > 0 else { throw AppError(.badInput, "--timeout must be a positive number of seconds") }
            task.timeout = timeout
        }
        let limits = try runSettings.limits(timeout: task.timeout)

        // 2. The model and the sandbox (unreachable or missing: exit 3), then the loop.
        let model = try session.makeModel()
        let executor: any Executor
        do {
            executor = try await ExecutorFactory.make(for: task, sandbox: try session.makeSandbox(), limits: limits)
        } catch let error as EngineerError {
            throw AppError(.unavailable, error.description)
        }
        return try await session.runLoop(
            task: task, title: task.title ?? request.taskFile ?? "task", model: model, executor: executor,
            configuration: session.configuration(model: model.name, task: task))
    }
}
