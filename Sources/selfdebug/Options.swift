import ArgumentParser
import Foundation
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox
import SelfDebugModels

/// Options every command that calls a model shares.
struct ModelOptions: ParsableArguments {
    @Option(help: "The model's name (default: $SELFDEBUG_MODEL, else gpt-4o-mini).")
    var model: String?

    @Option(help: "openai (any OpenAI-compatible server), anthropic or local (the embedded llama.cpp model). Default: $SELFDEBUG_PROVIDER, the configuration, else openai when OPENAI_BASE_URL, --base-url or OPENAI_API_KEY is set, else anthropic when ANTHROPIC_API_KEY is set, else local.")
    var provider: String?

    @Option(name: .customLong("base-url"), help: "The OpenAI-compatible API base, e.g. http://127.0.0.1:8080/v1 (default: $OPENAI_BASE_URL, else https://api.openai.com/v1).")
    var baseURL: String?

    @Option(name: .customLong("local-model"), help: "The embedded local model (provider local): default (Qwen2.5-Coder-1.5B-Instruct), small (Qwen2.5-Coder-0.5B-Instruct, faster, weaker), or the path of a .gguf file. Default: $SELFDEBUG_LOCAL_MODEL, the configuration's local_model, else default.")
    var localModel: String?

    @Option(help: "Seconds to wait for the model to answer one request.")
    var requestTimeout: Double = 300

    @Flag(name: .customLong("no-stream"), help: "Ask for whole replies instead of streamed ones.")
    var noStream = false
}

/// Options of a run.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("max-iterations"), help: "Model turns at most (overrides the task's max_iterations).")
    var maxIterations: Int?

    @Option(help: "Seconds for one sandboxed run, build and tests (overrides the task's timeout).")
    var timeout: Double?

    @Option(help: "The run folder (default: selfdebug-runs/<UTC time>-<slug>/).")
    var out: String?

    @Option(help: "Where generated code runs: bubblewrap (isolated, the default) or none (limits and tree-kill only, no isolation).")
    var sandbox: SandboxChoice = .bubblewrap

    @Option(name: .customLong("memory-limit"), help: "Memory (address space) for the code, in MiB.")
    var memoryLimit: Int = 2048

    @Option(name: .customLong("cpu-limit"), help: "CPU seconds for one run (default: the timeout).")
    var cpuLimit: Int?

    @Option(name: .customLong("file-size-limit"), help: "Largest file the code may write, in MiB.")
    var fileSizeLimit: Int = 64

    @Option(name: .customLong("process-limit"), help: "Processes and threads the code may have.")
    var processLimit: Int = 256

    @Option(name: .customLong("open-files-limit"), help: "Open files the code may have.")
    var openFilesLimit: Int = 256

    @Option(name: .customLong("output-limit"), help: "KiB kept from the start and from the end of each output stream.")
    var outputLimit: Int = 16

    /// The kernel limits for one run of `timeout` seconds; bad values are bad usage (exit 2).
    func limits(timeout: Double) throws -> ResourceLimits {
        for (name, value) in [("--memory-limit", memoryLimit), ("--cpu-limit", cpuLimit ?? 1), ("--file-size-limit", fileSizeLimit),
                              ("--process-limit", processLimit), ("--open-files-limit", openFilesLimit), ("--output-limit", outputLimit)] where value < 1 {
            throw CommandFailure(status: .badInput, description: "\(name) must be at least 1, not \(value)")
        }
        var limits = ResourceLimits()
        limits.memoryBytes = memoryLimit << 20
        limits.cpuSeconds = cpuLimit ?? max(1, Int(timeout.rounded(.up)))
        limits.fileSizeBytes = fileSizeLimit << 20
        limits.processes = processLimit
        limits.openFiles = openFilesLimit
        limits.outputHeadTailBytes = outputLimit << 10
        return limits
    }

    @Option(help: "What the model is told after a failed run: simple (only that tests fail), tests (the failures, default), explain (the failures, and explain the code line by line first), trace (the failures and a trace of the first failing test's variables; Python).")
    var feedback: FeedbackMode?

    @Option(name: .customLong("max-tokens"), help: "The most tokens (prompt and completion) the run may spend; checked before each call against its worst case.")
    var maxTokens: Int?

    @Option(name: .customLong("max-cost"), help: "The most US dollars the run may spend (needs the model's price: built in for well-known models, or in the configuration's prices).")
    var maxCost: Double?

    @Option(name: .customLong("context-tokens"), help: "The model's context in tokens (default 128000; 8192 for the local model).")
    var contextTokens: Int?

    @Option(name: .customLong("repair-temperature"), help: "The sampling temperature of repair turns (default: the first turn's, raised on each fresh attempt).")
    var repairTemperature: Double?

    @Option(help: "What the model sees of earlier turns: full (the whole conversation, default), short (the task, its latest answer and the latest failure only) or rewrite (each repair a new request: the task, the failing code and its failure, asking for a corrected version).")
    var conversation: ConversationStyle?

    @Flag(name: .customLong("no-rerun"), help: "Do not run failing tests a second time to spot flaky ones.")
    var noRerun = false

    @Flag(name: .customLong("no-restart"), help: "Keep repairing when the model repeats itself, instead of starting a fresh attempt.")
    var noRestart = false

    @Flag(help: "Print the run's summary as JSON on standard output.")
    var json = false

    @Flag(help: "Print nothing but errors (and the JSON summary with --json).")
    var quiet = false

    @Flag(help: "Also print the model's replies and the feedback sent back.")
    var verbose = false
}

/// Where generated code runs.
enum SandboxChoice: String, ExpressibleByArgument, CaseIterable {
    case bubblewrap
    case none
}

extension ModelOptions {
    /// Picks the provider as SPEC.md says: the flag or $SELFDEBUG_PROVIDER; else OpenAI-compatible
    /// when a base URL or an OpenAI key is set; else Anthropic when its key is set; else the local model.
    /// The provider, by SPEC's rule: the flag, `SELFDEBUG_PROVIDER`, the configuration; else
    /// OpenAI-compatible when a base URL or an OpenAI key is set; else Anthropic when its key is;
    /// else the local model.
    func resolvedProvider(environment: [String: String], settings: Settings) -> String {
        if let chosen = (provider ?? environment["SELFDEBUG_PROVIDER"]).flatMap({ $0.isEmpty ? nil : $0.lowercased() }) ?? settings.provider?.lowercased() {
            return chosen == "openai-compatible" ? "openai" : chosen
        }
        if baseURL != nil || environment["OPENAI_BASE_URL"].map({ !$0.isEmpty }) == true || environment["OPENAI_API_KEY"].map({ !$0.isEmpty }) == true
            || settings.baseURL != nil {
            return "openai"
        }
        if environment["ANTHROPIC_API_KEY"].map({ !$0.isEmpty }) == true { return "anthropic" }
        return "local"
    }

    func makeModel(environment: [String: String], settings: Settings = Settings(), onRetry: (@Sendable (Int, Double, String) -> Void)?) throws -> (any ChatModel, String) {
        let configured = model ?? environment["SELFDEBUG_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.model
        let name = configured ?? "gpt-4o-mini"
        let base = baseURL ?? environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.baseURL
        let key = environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let chosen: String? = resolvedProvider(environment: environment, settings: settings)
        switch chosen {
        case "openai", "openai-compatible":
            let text = base ?? "https://api.openai.com/v1"
            let authority = text.components(separatedBy: "://").dropFirst().first?.split(separator: "/", omittingEmptySubsequences: false).first ?? ""
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host?.isEmpty == false,
                  !authority.hasSuffix(":")
            else {
                throw CommandFailure(status: .badInput, description: "--base-url '\(text)' is not an http(s) URL; use e.g. http://127.0.0.1:8080/v1")
            }
            var configuration = OpenAICompatibleModel.Configuration(baseURL: url, apiKey: key)
            configuration.stream = !noStream
            configuration.requestTimeout = requestTimeout
            return (OpenAICompatibleModel(configuration: configuration, onRetry: onRetry), name)
        case "anthropic":
            let text = baseURL ?? environment["ANTHROPIC_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.baseURL ?? "https://api.anthropic.com"
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host?.isEmpty == false else {
                throw CommandFailure(status: .badInput, description: "the Anthropic base URL '\(text)' is not an http(s) URL; use e.g. https://api.anthropic.com")
            }
            var configuration = AnthropicModel.Configuration(baseURL: url, apiKey: environment["ANTHROPIC_API_KEY"].flatMap { $0.isEmpty ? nil : $0 })
            configuration.stream = !noStream
            configuration.requestTimeout = requestTimeout
            let anthropicName = configured ?? "claude-sonnet-4-5"
            return (AnthropicModel(configuration: configuration, onRetry: onRetry), anthropicName)
        case "local":
            let choice: LocalModelChoice
            do {
                choice = try LocalModelChoice.resolve(flag: localModel, environment: environment, configured: settings.localModel)
            } catch let error as ModelError {
                throw CommandFailure(status: .badInput, description: error.message)
            }
            let home = LocalModelServer.installation(environment: environment)
            let installed = FileManager.default.isExecutableFile(atPath: home + "/bin/python")
                && LocalModelWeights.size(of: choice.path(home: home)) != nil
            guard installed else {
                throw CommandFailure(
                    status: .unavailable,
                    description: "no model is configured, and the embedded local model (\(choice.displayName)) is not installed in \(home). Install it with "
                        + "\(choice.installCommand) (about 5 minutes), or point selfdebug at a model: set OPENAI_BASE_URL "
                        + "(e.g. http://127.0.0.1:8080/v1 for llama.cpp's server, http://127.0.0.1:11434/v1 for Ollama) or OPENAI_API_KEY, "
                        + "or ANTHROPIC_API_KEY.")
            }
            return (LocalModel(choice: choice, onRetry: onRetry), model ?? choice.alias)
        default:
            throw CommandFailure(status: .badInput, description: "unknown provider '\(chosen!)'; use --provider openai, anthropic or local")
        }
    }
}


extension FeedbackMode: ExpressibleByArgument {}
extension ConversationStyle: ExpressibleByArgument {}
