import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugModels

/// A finished run of the loop: its result, its run folder, and whether it was interrupted.
public struct LoopRun: Sendable {
    /// What the loop gave: summary, files, best outcome.
    public var result: RunResult
    /// The run folder, finished (summary written) even after an interrupt.
    public var folder: RunFolder
    /// Whether Ctrl-C (or SIGTERM) stopped the run.
    public var interrupted: Bool

    /// The exit status the run gives (``ExitStatus/init(for:interrupted:)``).
    public var exitStatus: ExitStatus { ExitStatus(for: result.summary, interrupted: interrupted) }
}

/// Progress to several sinks.
public struct FanOutProgress: ProgressSink {
    /// The sinks, told in order.
    public let sinks: [any ProgressSink]
    /// Tells every one of `sinks`.
    public init(_ sinks: [any ProgressSink]) { self.sinks = sinks }
    /// Passes the update to every sink.
    public func update(_ progress: ProgressUpdate) { sinks.forEach { $0.update(progress) } }
}

extension AppSession {
    /// Runs the loop in a new run folder; Ctrl-C cancels it and the folder is still finished.
    public func runLoop(
        task: TaskSpec, title: String, model: ChosenModel, executor: any Executor, configuration: EngineerLoop.Configuration
    ) async throws -> LoopRun {
        // The local model starts before the run, so its start-up is not a turn's time and a
        // missing or damaged install fails before a run folder exists.
        var localServer: LocalModelServer?
        if let local = model.client as? LocalModel {
            do {
                localServer = try await local.start()
            } catch let error as ModelError {
                throw AppError(.unavailable, error.message)
            }
        }
        let folder = try makeRunFolder(slug: task.slug)
        do {
            let file = try JSONLinesRecorder(path: folder.trajectory)
            let recorder: any Recorder = echo.map { FanOutRecorder([file, $0]) } ?? file
            if talk { announce(task: task, title: title, model: model, executor: executor, folder: folder, localServer: localServer) }
            let sinks: [any ProgressSink] = (talk ? [reporter] : []) + (extraProgress.map { [$0] } ?? [])
            let loop = EngineerLoop(
                task: task, configuration: configuration, model: model.client, executor: executor, recorder: recorder,
                progress: FanOutProgress(sinks))
            let run = try await Interruptible.run { try await loop.run() }
            try folder.finish(run.value)
            return LoopRun(result: run.value, folder: folder, interrupted: run.interrupted || run.value.summary.stopReason == .interrupted)
        } catch where ExitStatus(for: error) == .internalError {
            throw AppError.internalFailure(error, runFolder: folder.path)
        }
    }

    /// The run's first lines: the local model (and that it is small), the task, the model, the
    /// executor, the run folder.
    private func announce(task: TaskSpec, title: String, model: ChosenModel, executor: any Executor, folder: RunFolder, localServer: LocalModelServer?) {
        if let localServer {
            reporter.say("local model: \(localServer.summary)")
            reporter.say("The embedded local model is small: it solves short, well-specified tasks, not large ones. For real work point selfdebug at a "
                + "bigger model: OPENAI_BASE_URL and SELFDEBUG_MODEL (vLLM, llama.cpp, Ollama, LM Studio), OPENAI_API_KEY, or ANTHROPIC_API_KEY.")
        }
        reporter.say("selfdebug \(selfdebugVersion) · \(title) (\(task.language.rawValue)) · model \(model.name) via \(model.client.providerName)")
        reporter.say(executor.description)
        reporter.say("run folder: \(folder.path)")
    }
}
