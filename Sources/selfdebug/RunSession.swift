import ArgumentParser
import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec
import SelfDebugSandbox
import SelfDebugModels

/// What `solve`, `fix` and `engineer` share: the model, the run folder, the loop with progress and
/// Ctrl-C handling, and the closing report.
struct RunSession {
    var modelOptions: ModelOptions
    let runOptions: RunOptions
    let progress = TerminalProgress()
    /// The configuration files' settings (flags and environment win over them).
    let settings: Settings

    /// Loads the configuration files; a bad one is bad input (exit 2).
    init(modelOptions: ModelOptions, runOptions: RunOptions) throws {
        self.modelOptions = modelOptions
        self.runOptions = runOptions
        do {
            settings = try Settings.load(environment: ProcessInfo.processInfo.environment)
        } catch let error as TaskFileError {
            throw CommandFailure(status: .badInput, description: error.description)
        }
    }
    /// Also told of progress (the MCP server's notifications).
    var extraProgress: (any ProgressSink)?
    /// Replies recorded in an earlier run, served before the live model (--resume).
    var recordedReplies: [UInt64: ChatResponse]?

    var talk: Bool { !runOptions.quiet }

    /// The model (bad configuration: exit 2; unavailable provider: exit 3).
    func makeModel() throws -> (any ChatModel, String) {
        let made: (any ChatModel, String)
        do {
            made = try modelOptions.makeModel(environment: ProcessInfo.processInfo.environment, settings: settings) { [talk, progress] attempt, delay, reason in
                if talk { progress.say(String(format: "model call failed (%@); retry %d in %.1f s", reason, attempt, delay)) }
            }
        } catch let failure as CommandFailure where recordedReplies != nil && failure.status == .unavailable {
            // Resuming with no model configured: the record alone answers, as far as it goes.
            return (RecordedModel(recorded: recordedReplies ?? [:], live: nil), modelOptions.model ?? "recorded")
        }
        try checkBudget(model: made.1)
        guard let recordedReplies else { return made }
        return (RecordedModel(recorded: recordedReplies, live: made.0), made.1)
    }

    /// The chosen sandbox (missing: exit 3), warning on every unisolated run.
    func makeSandbox() throws -> any Sandbox {
        do {
            switch runOptions.sandbox {
            case .bubblewrap:
                return try BubblewrapSandbox()
            case .none:
                progress.say("WARNING: --sandbox none: generated code runs WITHOUT isolation (it can reach the network, your files and your processes); only resource limits and tree-kill apply.")
                return try UnisolatedSandbox()
            }
        } catch let error as SandboxUnavailable {
            throw CommandFailure(status: .unavailable, description: error.description)
        } catch let error as ToolchainError {
            throw CommandFailure(status: .unavailable, description: error.description)
        }
    }

    /// The loop's configuration from the options.
    func configuration(model: String, task: TaskSpec) -> EngineerLoop.Configuration {
        var configuration = EngineerLoop.Configuration(model: model, maxIterations: task.maxIterations)
        configuration.toolVersion = selfdebugVersion
        configuration.feedbackMode = runOptions.feedback ?? settings.feedback.flatMap(FeedbackMode.init(rawValue:)) ?? .tests
        configuration.rerunFailures = !runOptions.noRerun
        configuration.conversation = runOptions.conversation ?? .full
        configuration.repairTemperature = runOptions.repairTemperature
        // The environment's keys and tokens are never sent to the model nor recorded.
        configuration.outsideSecrets = SecretScope.outsideSecrets(environment: ProcessInfo.processInfo.environment)
        configuration.restartWhenStuck = !runOptions.noRestart
        let provider = modelOptions.resolvedProvider(environment: ProcessInfo.processInfo.environment, settings: settings)
        configuration.contextTokens = runOptions.contextTokens ?? settings.contextTokens ?? (provider == "local" ? LocalModelServer.contextTokens : 128_000)
        if provider == "local" { configuration.maxTokens = min(configuration.maxTokens, 1024) }
        configuration.maxTotalTokens = runOptions.maxTokens ?? settings.maxTokens
        configuration.maxCostUSD = runOptions.maxCost ?? settings.maxCost
        configuration.price = settings.price(of: model, provider: provider)
        return configuration
    }

    /// Checks that a cost cap can be enforced (the model's price is known); bad usage otherwise.
    func checkBudget(model: String) throws {
        let provider = modelOptions.resolvedProvider(environment: ProcessInfo.processInfo.environment, settings: settings)
        if (runOptions.maxCost ?? settings.maxCost) != nil, settings.price(of: model, provider: provider) == nil {
            throw CommandFailure(status: .badInput, description: "--max-cost needs the price of '\(model)': add it to the configuration file, e.g.\n"
                + "prices:\n  \(model): {input: 1.0, output: 4.0}   # US dollars per million tokens")
        }
    }

    /// Limits from the task file, else the configuration files.
    func applySettings(to task: inout TaskSpec, explicit: Set<String>) {
        if !explicit.contains("max_iterations"), let value = settings.maxIterations { task.maxIterations = value }
        if !explicit.contains("timeout"), let value = settings.timeout { task.timeout = value }
    }

    /// Runs the loop in a new run folder; Ctrl-C cancels it and the folder is still finished.
    func run(
        task: TaskSpec, title: String, model: any ChatModel, modelName: String, executor: any Executor,
        configuration: EngineerLoop.Configuration
    ) async throws -> (RunResult, RunFolder, interrupted: Bool) {
        // The local model starts before the run, so its start-up is not a turn's time and a
        // missing or damaged install fails before a run folder exists.
        var localServer: LocalModelServer?
        if let local = model as? LocalModel {
            do {
                localServer = try await local.start()
            } catch let error as ModelError {
                throw CommandFailure(status: .unavailable, description: error.message)
            }
        }
        let folder: RunFolder
        do {
            folder = try RunFolder.create(out: runOptions.out, slug: task.slug)
        } catch let error as RunFolderError {
            throw CommandFailure(status: .badInput, description: error.description)
        }
        do {
            return try await run(task: task, title: title, model: model, modelName: modelName, executor: executor, configuration: configuration,
                                 in: folder, localServer: localServer)
        } catch where ExitStatus(for: error) == .internalError {
            throw CommandFailure.internalError(error, runFolder: folder.path)
        }
    }

    private func run(
        task: TaskSpec, title: String, model: any ChatModel, modelName: String, executor: any Executor,
        configuration: EngineerLoop.Configuration, in folder: RunFolder, localServer: LocalModelServer?
    ) async throws -> (RunResult, RunFolder, interrupted: Bool) {
        let file = try JSONLinesRecorder(path: folder.trajectory)
        let recorder: any Recorder = runOptions.verbose && talk ? FanOutRecorder([file, VerboseEcho(progress: progress)]) : file
        if talk {
            if let localServer {
                progress.say("local model: \(localServer.summary)")
                progress.say("The embedded local model is small: it solves short, well-specified tasks, not large ones. For real work point selfdebug at a "
                    + "bigger model: OPENAI_BASE_URL and SELFDEBUG_MODEL (vLLM, llama.cpp, Ollama, LM Studio), OPENAI_API_KEY, or ANTHROPIC_API_KEY.")
            }
            progress.say("selfdebug \(selfdebugVersion) · \(title) (\(task.language.rawValue)) · model \(modelName) via \(model.providerName)")
            progress.say(executor.description)
            progress.say("run folder: \(folder.path)")
        }
        let sinks: [any ProgressSink] = (talk ? [progress] : []) + (extraProgress.map { [$0] } ?? [])
        let loop = EngineerLoop(
            task: task, configuration: configuration, model: model, executor: executor, recorder: recorder,
            progress: FanOutProgress(sinks))
        let work = Task { try await loop.run() }
        let interrupts = InterruptHandler { work.cancel() }
        let result = try await work.value
        try folder.finish(result)
        return (result, folder, interrupts.wasInterrupted || result.summary.stopReason == .interrupted)
    }

    /// The exit status for a finished run: an error result exits with its cause (model or sandbox: 3).
    static func exit(for result: RunResult, interrupted: Bool) throws {
        let status = ExitStatus(for: result.summary, interrupted: interrupted)
        if status != .solved { throw ExitCode(status.rawValue) }
    }

    /// The JSON summary (with `--json`) and the closing lines.
    func report(_ result: RunResult, folder: RunFolder, extra: [String: String] = [:], output: String) throws {
        let summary = result.summary
        if runOptions.json {
            var json = JSONValue(encoding: summary)
            if case .object(var members) = json {
                for (key, value) in extra { members[key] = .string(value) }
                json = .object(members)
            }
            FileHandle.standardOutput.write(Data((json.serialized() + "\n").utf8))
        }
        guard talk else {
            if let error = summary.error, summary.status == .error { progress.say("selfdebug: \(error)") }
            return
        }
        let tokens = TerminalProgress.tokens(summary.promptTokens + summary.completionTokens)
        let timing = String(format: "%.1f s, of which %.1f s running code", summary.wallSeconds, summary.execSeconds)
        switch summary.status {
        case .solved:
            progress.say("solved in \(summary.iterations) iteration\(summary.iterations == 1 ? "" : "s") (\(tokens) tokens, \(timing))"
                + (summary.verifiedBy == "agent_tests" ? "; verified by the agent's own tests only" : ""))
        case .unsolved where summary.stopReason == .budget:
            progress.say("not solved: stopped so as not to overshoot the budget: \(summary.error ?? "") (best version passes \(summary.testsPassed)/\(summary.testsTotal) tests)")
        case .unsolved:
            progress.say("not solved in \(summary.iterations) iterations: best version passes \(summary.testsPassed)/\(summary.testsTotal) tests (\(tokens) tokens, \(timing))")
        case .error:
            progress.say("stopped: \(summary.error ?? summary.stopReason.rawValue)")
        }
        progress.say(output + "  record: \(folder.trajectory)")
    }
}

/// Progress to several sinks.
struct FanOutProgress: ProgressSink {
    let sinks: [any ProgressSink]
    init(_ sinks: [any ProgressSink]) { self.sinks = sinks }
    func update(_ progress: ProgressUpdate) { sinks.forEach { $0.update(progress) } }
}
