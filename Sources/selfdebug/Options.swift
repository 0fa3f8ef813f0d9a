import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugCore

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

    @Option(help: "What the model sees of earlier turns: rewrite (each repair a new request: the task, the failing code and its failure, asking for a corrected version; the default for tasks with test files and projects), fresh (each repair a fresh answer to the task, shown the latest failures but not the failing code, at the resample temperature unless --repair-temperature is set; the default for benchmark problems), full (the whole conversation) or short (the task, its latest answer and the latest failure only).")
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

extension ModelOptions {
    /// The flags as the provider policy's input (the environment and configuration fill the rest).
    var selection: ModelSelection {
        ModelSelection(model: model, provider: provider, baseURL: baseURL, localModel: localModel, requestTimeout: requestTimeout, stream: !noStream)
    }
}

extension RunOptions {
    /// The flags as the services' run settings.
    var settings: RunSettings {
        var settings = RunSettings()
        settings.maxIterations = maxIterations
        settings.timeout = timeout
        settings.out = out
        settings.sandbox = sandbox
        settings.memoryLimit = memoryLimit
        settings.cpuLimit = cpuLimit
        settings.fileSizeLimit = fileSizeLimit
        settings.processLimit = processLimit
        settings.openFilesLimit = openFilesLimit
        settings.outputLimit = outputLimit
        settings.feedback = feedback
        settings.maxTokens = maxTokens
        settings.maxCost = maxCost
        settings.contextTokens = contextTokens
        settings.repairTemperature = repairTemperature
        settings.conversation = conversation
        settings.rerunFailures = !noRerun
        settings.restartWhenStuck = !noRestart
        return settings
    }
}

extension SandboxChoice: ExpressibleByArgument {}
extension FeedbackMode: ExpressibleByArgument {}
extension ConversationStyle: ExpressibleByArgument {}
