import Foundation
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec
import SelfDebugModels
import SelfDebugSandbox

/// selfdebug's version, recorded in every run.
public let selfdebugVersion = "0.1.0"

/// Where a service tells its user what is happening: the loop's progress, and lines of its own
/// (the CLI's terminal; the MCP server's standard error).
public protocol RunReporter: ProgressSink {
    /// Tells one line.
    func say(_ text: String)
}

/// What `solve`, `fix`, `engineer` and `bench` share: the user's choices, the configuration
/// files, the model and the sandbox they lead to, the loop's configuration, and runs in a run
/// folder under Ctrl-C handling.
public struct AppSession: Sendable {
    /// Which model the user asked for (the provider policy completes it).
    public var modelSelection: ModelSelection
    /// How runs go.
    public let runSettings: RunSettings
    /// The configuration files' settings (flags and environment win over them).
    public let settings: Settings
    /// The environment the policy reads (never recorded, never shown to the model).
    public let environment: [String: String]
    /// Where lines and progress go; warnings go there even when the session is quiet.
    public let reporter: any RunReporter
    /// Whether only errors and warnings are told (`--quiet`; the MCP server, whose stdout is the protocol).
    public let quiet: Bool
    /// Also told of progress (the MCP server's notifications).
    public var extraProgress: (any ProgressSink)?
    /// Also told of every trajectory event as it is recorded (the CLI's `--verbose` echo).
    public var echo: (any Recorder)?
    /// Replies recorded in an earlier run, served before the live model (`solve --resume`).
    public var recordedReplies: [UInt64: ChatResponse]?
    /// The recorded run's start (`solve --resume`): its loop settings (feedback mode, strategy,
    /// conversation, repair temperature) are kept unless a flag says otherwise, so the resumed run
    /// asks what the recorded one asked and its replies are served.
    public var recordedStart: TrajectoryEvent.RunStart?

    /// Loads the configuration files of `projectFolder` and the user; a bad one is bad input (exit 2).
    public init(
        modelSelection: ModelSelection, runSettings: RunSettings, reporter: any RunReporter, quiet: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment, projectFolder: String = FileManager.default.currentDirectoryPath
    ) throws {
        self.modelSelection = modelSelection
        self.runSettings = runSettings
        self.reporter = reporter
        self.quiet = quiet
        self.environment = environment
        do {
            settings = try Settings.load(projectFolder: projectFolder, environment: environment)
        } catch let error as TaskFileError {
            throw AppError(.badInput, error.description)
        }
    }

    /// Whether progress and notices are told (not quiet).
    public var talk: Bool { !quiet }

    /// Tells a line unless the session is quiet.
    public func say(_ text: String) {
        if talk { reporter.say(text) }
    }

    /// The provider the policy picks for this session.
    public var provider: Provider { modelSelection.resolvedProvider(environment: environment, settings: settings) }

    /// The model (bad configuration: exit 2; unavailable provider: exit 3); with recorded replies,
    /// they answer first.
    public func makeModel() throws -> ChosenModel {
        let made: ChosenModel
        do {
            made = try modelSelection.makeModel(environment: environment, settings: settings) { [self] attempt, delay, reason in
                say(String(format: "model call failed (%@); retry %d in %.1f s", reason, attempt, delay))
            }
        } catch let failure as AppError where recordedReplies != nil && failure.kind == .unavailable {
            // Resuming with no model configured: the record alone answers, as far as it goes.
            return ChosenModel(client: RecordedModel(recorded: recordedReplies ?? [:], live: nil), name: modelSelection.model ?? "recorded")
        }
        try checkBudget(model: made.name)
        guard let recordedReplies else { return made }
        return ChosenModel(client: RecordedModel(recorded: recordedReplies, live: made.client), name: made.name)
    }

    /// The chosen sandbox (missing: exit 3), warning on every unisolated run.
    public func makeSandbox() throws -> any Sandbox {
        do {
            switch runSettings.sandbox {
            case .bubblewrap:
                return try BubblewrapSandbox()
            case .none:
                reporter.say("WARNING: --sandbox none: generated code runs WITHOUT isolation (it can reach the network, your files and your processes); only resource limits and tree-kill apply.")
                return try UnisolatedSandbox()
            }
        } catch let error as SandboxUnavailable {
            throw AppError(.unavailable, error.description)
        } catch let error as ToolchainError {
            throw AppError(.unavailable, error.description)
        }
    }

    /// The loop's configuration from the run settings, the configuration files and the provider.
    public func configuration(model: String, task: TaskSpec) -> EngineerLoop.Configuration {
        var configuration = EngineerLoop.Configuration(model: model, maxIterations: task.maxIterations)
        configuration.toolVersion = selfdebugVersion
        configuration.feedbackMode = runSettings.feedback ?? recordedStart?.feedbackMode
            ?? settings.feedback.flatMap(FeedbackMode.init(rawValue:)) ?? .tests
        configuration.rerunFailures = runSettings.rerunFailures
        // Measured with the local 1.5B model (README, Benchmarks): rewrite repaired more than the
        // whole conversation at half its tokens (MBPP); on benchmark problems fresh repairs did as
        // well as rewrite or better, at fewer tokens (HumanEval in Python and Swift).
        configuration.conversation = runSettings.conversation ?? recordedStart?.conversation ?? .default(for: task, feedback: configuration.feedbackMode)
        configuration.repairTemperature = runSettings.repairTemperature ?? recordedStart?.repairTemperature
        if let recordedStart { configuration.strategy = recordedStart.strategy }
        // The environment's keys and tokens are never sent to the model nor recorded.
        configuration.outsideSecrets = SecretScope.outsideSecrets(environment: environment)
        configuration.restartWhenStuck = runSettings.restartWhenStuck
        let provider = provider
        configuration.contextTokens = runSettings.contextTokens ?? settings.contextTokens ?? (provider == .local ? LocalModelServer.contextTokens : 128_000)
        if provider == .local { configuration.maxTokens = min(configuration.maxTokens, 1024) }
        configuration.maxTotalTokens = runSettings.maxTokens ?? settings.maxTokens
        configuration.maxCostUSD = runSettings.maxCost ?? settings.maxCost
        configuration.price = settings.price(of: model, provider: provider.name)
        return configuration
    }

    /// Checks that a cost cap can be enforced (the model's price is known); bad usage otherwise.
    public func checkBudget(model: String) throws {
        if (runSettings.maxCost ?? settings.maxCost) != nil, settings.price(of: model, provider: provider.name) == nil {
            throw AppError(.badInput, "--max-cost needs the price of '\(model)': add it to the configuration file, e.g.\n"
                + "prices:\n  \(model): {input: 1.0, output: 4.0}   # US dollars per million tokens")
        }
    }

    /// Limits from the task file, else the configuration files.
    public func applySettings(to task: inout TaskSpec, explicit: Set<String>) {
        if !explicit.contains("max_iterations"), let value = settings.maxIterations { task.maxIterations = value }
        if !explicit.contains("timeout"), let value = settings.timeout { task.timeout = value }
    }

    /// A new run folder under `--out` (or the default), named after `slug`; one that cannot be made is bad input.
    public func makeRunFolder(slug: String) throws -> RunFolder {
        do {
            return try RunFolder.create(out: runSettings.out, slug: slug)
        } catch let error as RunFolderError {
            throw AppError(.badInput, error.description)
        }
    }

    /// Runs `job` under Ctrl-C handling; an error of selfdebug's own becomes one that names the
    /// run folder to report.
    public func interruptible<Value: Sendable>(
        reporting runFolder: String, _ job: sending @escaping @isolated(any) () async throws -> Value
    ) async throws -> Interruptible.Outcome<Value> {
        do {
            return try await Interruptible.run(job)
        } catch where ExitStatus(for: error) == .internalError {
            throw AppError.internalFailure(error, runFolder: runFolder)
        }
    }
}
