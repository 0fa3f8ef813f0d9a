import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfDebugCore
import SelfDebugSandbox

/// The embedded local model: llama.cpp's OpenAI-compatible server (PyPI `llama-cpp-python[server]`)
/// with a Qwen2.5-Coder Instruct GGUF (1.5B by default, 0.5B with `--local-model small`), installed
/// by `scripts/install-local-model.sh`. Started on a free loopback port when first needed, shared
/// within one command, stopped at the end (and by itself when selfdebug exits). It only ever stops
/// the process group it started: a server someone else runs is never touched.
public final class LocalModelServer: @unchecked Sendable {
    /// The context the server is started with, in tokens (prompt and reply).
    public static let contextTokens = 8192

    /// Where the set-up step installs the server (a Python virtual environment) and the weights.
    public static func installation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["SELFDEBUG_LOCAL_MODEL_HOME"], !path.isEmpty { return path }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("selfdebug/local-model")
    }

    /// How to install it, for messages.
    public static let installHint = "scripts/install-local-model.sh (about 5 minutes: it compiles llama.cpp and downloads the model), or point selfdebug at a real model with OPENAI_BASE_URL or ANTHROPIC_API_KEY"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: LocalModelServer?

    /// The command's server, started on first use with `choice`'s weights (a later call with
    /// another choice gets the running server).
    public static func started(
        choice: LocalModelChoice = .standard, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> LocalModelServer {
        if let running = lock.withLock({ shared }) { return running }
        let server = try await LocalModelServer(choice: choice, environment: environment)
        return lock.withLock {
            if let running = shared {
                server.stop()
                return running
            }
            shared = server
            return server
        }
    }

    /// The command's server, if one was started.
    public static var current: LocalModelServer? { lock.withLock { shared } }

    /// Stops the command's server, if one was started.
    public static func stopShared() {
        lock.withLock { shared }?.stop()
    }

    /// The model it serves.
    public let choice: LocalModelChoice
    /// The server's OpenAI-compatible base URL.
    public let baseURL: URL
    /// The loopback port it listens on.
    public let port: Int
    /// The server's process id (also its process group: it leads a session of its own).
    public var pid: pid_t { process.pid }
    /// The GGUF file's size in bytes.
    public let modelBytes: Int
    /// Seconds from launch to the first answer.
    public private(set) var startSeconds: Double = 0
    /// The threads it generates with (one fewer than the cores, at least 1, or `SELFDEBUG_LOCAL_MODEL_THREADS`);
    /// prompts are always evaluated with all the cores.
    public let threads: Int
    private let process: SpawnedProcess

    init(choice: LocalModelChoice, environment: [String: String]) async throws {
        let began = Date()
        let home = Self.installation(environment: environment)
        let python = home + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ModelError(.unavailable, "no model is configured and the local model is not installed (looked in \(home)); install it with \(Self.installHint)")
        }
        try LocalModelWeights.verify(choice, home: home)
        let modelPath = choice.path(home: home)
        self.choice = choice
        modelBytes = LocalModelWeights.size(of: modelPath) ?? 0
        port = try Self.freePort()
        baseURL = URL(string: "http://127.0.0.1:\(port)/v1")!
        threads = Self.threads(environment: environment)
        // A wrapper that exits when its parent does, so the server never outlives selfdebug.
        let wrapper = """
        import os, runpy, sys, threading, time
        parent = os.getppid()
        def watch():
            while True:
                time.sleep(0.5)
                if os.getppid() != parent:
                    os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        sys.argv = ["llama_cpp.server"] + sys.argv[1:]
        runpy.run_module("llama_cpp.server", run_name="__main__")
        """
        // Flags from STACK.md: the defaults hurt (1 thread, logits_all, interrupted requests). The
        // server keeps the last prompt's state, so a turn that starts like the previous one only
        // evaluates the new tokens.
        let arguments = ["-c", wrapper, "--model", modelPath, "--model_alias", choice.alias, "--host", "127.0.0.1", "--port", "\(port)",
                         "--n_ctx", "\(Self.contextTokens)", "--n_threads", "\(threads)", "--n_threads_batch", "\(Self.cores)",
                         "--logits_all", "false", "--interrupt_requests", "false"]
        let log = environment["SELFDEBUG_LOCAL_MODEL_LOG"].flatMap { $0.isEmpty ? nil : $0 } ?? "/dev/null"
        do {
            // Its own session, a clean signal mask, no standard input, none of selfdebug's sockets
            // or files; stdout and stderr appended to the log.
            process = try ProcessRunner.spawn(python, arguments: arguments, environment: [
                "PATH": "/usr/bin:/bin", "HOME": environment["HOME"] ?? NSTemporaryDirectory(), "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
            ], standardOutput: .appending(to: log), standardError: .sameAsStandardOutput)
        } catch {
            throw ModelError(.unavailable, "cannot start the local model server: \(error)")
        }
        do {
            try await waitUntilReady()
        } catch {
            stop()
            throw error
        }
        startSeconds = Date().timeIntervalSince(began)
    }

    /// Whether the server process still runs.
    public var isRunning: Bool { process.isRunning }

    /// Stops the server: SIGKILL to its process group (only the group it started), then reaps it.
    public func stop() {
        process.stop()
    }

    /// A client for the server.
    public func model(clock: any AgentClock = SystemClock(), onRetry: (@Sendable (Int, Double, String) -> Void)? = nil) -> OpenAICompatibleModel {
        var configuration = OpenAICompatibleModel.Configuration(baseURL: baseURL)
        configuration.requestTimeout = 600
        return OpenAICompatibleModel(configuration: configuration, clock: clock, onRetry: onRetry)
    }

    /// One line for people: the model, its size, the start-up time, and what was started.
    public var summary: String {
        String(format: "%@ (%.2f GB) via llama.cpp, ready in %.1f s; server pid %d on 127.0.0.1:%d, %d-token context, %d thread%@ generating, %d for prompts",
               choice.displayName, Double(modelBytes) / 1e9, startSeconds, pid, port, Self.contextTokens, threads, threads == 1 ? "" : "s", Self.cores)
    }

    func waitUntilReady(timeout: Double = 180) async throws {
        let client = model()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard isRunning else { throw ModelError(.unavailable, "the local model server exited while starting; reinstall it with \(Self.installHint)") }
            if let listed = try? await client.listModels(timeout: 2) {
                // Another server that took the port in the meantime is not ours: do not use it.
                guard listed.contains(choice.alias) else {
                    throw ModelError(.unavailable, "port \(port) answers for another server (it lists \(listed.joined(separator: ", "))); try again")
                }
                return
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw ModelError(.unavailable, "the local model server did not answer within \(Int(timeout)) s")
    }

    /// The machine's cores, at most 8: the threads that evaluate prompts.
    public static var cores: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// The threads that generate: `SELFDEBUG_LOCAL_MODEL_THREADS`, else one fewer than ``cores``
    /// (at least 1). Measured on 2 cores (README, Local model): 2 generating threads are 1.9x faster
    /// than 1 on an idle machine, but llama.cpp's threads wait for each other by spinning, so with
    /// anything else busy they were 2-15x slower than 1; a free core keeps generation steady.
    public static func threads(environment: [String: String]) -> Int {
        if let text = environment["SELFDEBUG_LOCAL_MODEL_THREADS"], let count = Int(text), count >= 1 { return count }
        return max(1, cores - 1)
    }

    /// A free TCP port on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw ModelError(.unavailable, "no free port on 127.0.0.1 for the local model") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The local model as a ``ChatModel``: starts the shared server on the first call.
public struct LocalModel: ChatModel, ModelLister {
    /// The weights it runs.
    public let choice: LocalModelChoice
    let onRetry: (@Sendable (Int, Double, String) -> Void)?

    /// Creates the model.
    public init(choice: LocalModelChoice = .standard, onRetry: (@Sendable (Int, Double, String) -> Void)? = nil) {
        self.choice = choice
        self.onRetry = onRetry
    }

    /// `local llama.cpp (Qwen2.5-Coder-1.5B-Instruct)`.
    public var providerName: String { "local llama.cpp (\(choice.displayName))" }

    /// Starts the server now (it starts on the first call otherwise); returns it.
    @discardableResult
    public func start() async throws -> LocalModelServer {
        try await LocalModelServer.started(choice: choice)
    }

    /// Asks the local server.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        try await start().model(onRetry: onRetry).complete(request, onDelta: onDelta)
    }

    /// The server's model list (starts it).
    public func listModels(timeout: Double) async throws -> [String] {
        try await start().model().listModels(timeout: timeout)
    }
}
