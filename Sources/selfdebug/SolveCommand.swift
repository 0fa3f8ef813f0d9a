import ArgumentParser
import Foundation
import SelfDebugCore
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
        let environment = ProcessInfo.processInfo.environment
        let progress = TerminalProgress()
        let talk = !runOptions.quiet

        // 1. The task (bad input: exit 2).
        var task: TaskSpec
        do {
            let parsed = try TaskFileParser().parse(fileAt: taskFile)
            task = parsed.task
            if talk { parsed.warnings.forEach { progress.say($0.description) } }
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

        // 2. The model and the sandbox (unreachable or missing: exit 3).
        let (model, modelName) = try modelOptions.makeModel(environment: environment) { attempt, delay, reason in
            if talk { progress.say(String(format: "model call failed (%@); retry %d in %.1f s", reason, attempt, delay)) }
        }
        let executor = try await Self.makeExecutor(task: task, options: runOptions, say: talk ? progress.say : { _ in })

        // 3. The run folder, then the loop.
        let folder = try RunFolder.create(out: runOptions.out, slug: task.slug)
        let file = try JSONLinesRecorder(path: folder.trajectory)
        let recorder: any Recorder = runOptions.verbose && talk ? FanOutRecorder([file, VerboseEcho(progress: progress)]) : file
        if talk {
            progress.say("selfdebug \(selfdebugVersion) · \(task.title ?? taskFile) (\(task.language.rawValue)) · model \(modelName) via \(model.providerName)")
            progress.say("\(executor.description)")
            progress.say("run folder: \(folder.path)")
        }
        var configuration = EngineerLoop.Configuration(model: modelName, maxIterations: task.maxIterations)
        configuration.toolVersion = selfdebugVersion
        configuration.feedbackMode = runOptions.feedback
        configuration.rerunFailures = !runOptions.noRerun
        configuration.restartWhenStuck = !runOptions.noRestart
        let loop = EngineerLoop(
            task: task, configuration: configuration, model: model, executor: executor, recorder: recorder,
            progress: talk ? progress : SilentProgress())
        let work = Task { try await loop.run() }
        let interrupts = InterruptHandler { work.cancel() }
        let result = try await work.value
        try folder.finish(result)
        try report(result, folder: folder, progress: progress)
        if interrupts.wasInterrupted || result.summary.stopReason == .interrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
        switch result.summary.status {
        case .solved: return
        case .unsolved: throw ExitCode(ExitStatus.unsolved.rawValue)
        case .error: throw ExitCode(ExitStatus.unavailable.rawValue)
        }
    }

    func report(_ result: RunResult, folder: RunFolder, progress: TerminalProgress) throws {
        let summary = result.summary
        if runOptions.json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var line = try encoder.encode(summary)
            line.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(line)
        }
        guard !runOptions.quiet else {
            if let error = summary.error, summary.status == .error { progress.say("selfdebug: \(error)") }
            return
        }
        let tokens = TerminalProgress.tokens(summary.promptTokens + summary.completionTokens)
        let timing = String(format: "%.1f s, of which %.1f s running code", summary.wallSeconds, summary.execSeconds)
        switch summary.status {
        case .solved:
            progress.say("solved in \(summary.iterations) iteration\(summary.iterations == 1 ? "" : "s") (\(tokens) tokens, \(timing))"
                + (summary.verifiedBy == "agent_tests" ? "; verified by the agent's own tests only" : ""))
        case .unsolved:
            progress.say("not solved in \(summary.iterations) iterations: best version passes \(summary.testsPassed)/\(summary.testsTotal) tests (\(tokens) tokens, \(timing))")
        case .error:
            progress.say("stopped: \(summary.error ?? summary.stopReason.rawValue)")
        }
        progress.say("solution: \((folder.path as NSString).appendingPathComponent("solution"))/  record: \(folder.trajectory)")
    }

    /// The executor for the task's language inside the chosen sandbox.
    static func makeExecutor(task: TaskSpec, options: RunOptions, say: (String) -> Void) async throws -> TaskExecutor {
        let limits = try options.limits(timeout: task.timeout)
        do {
            let sandbox: any Sandbox
            switch options.sandbox {
            case .bubblewrap:
                sandbox = try BubblewrapSandbox()
            case .none:
                say("WARNING: --sandbox none: generated code runs WITHOUT isolation (it can reach the network, your files and your processes); only resource limits and tree-kill apply.")
                sandbox = try UnisolatedSandbox()
            }
            return try await TaskExecutor.make(for: task.language, sandbox: sandbox, limits: limits)
        } catch let error as ToolchainError {
            throw CommandFailure(status: .unavailable, description: error.description)
        } catch let error as SandboxUnavailable {
            throw CommandFailure(status: .unavailable, description: error.description)
        }
    }
}
