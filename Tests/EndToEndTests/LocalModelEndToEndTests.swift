import Foundation
import Testing
import SelfDebugCore
import SelfDebugModels
import TestSupport

/// The embedded local model, for real: the small one (Qwen2.5-Coder-0.5B-Instruct, installed by
/// scripts/test.sh with `install-local-model.sh --small`; a minute or two on 2 cores).
@Suite("The embedded local model, end to end")
struct LocalModelEndToEndTests {
    @Test(.timeLimit(.minutes(10)))
    func anExampleRunsAgainstTheRealLocalModelAndIsRecorded() async throws {
        var environment = CLI.environment(nil)
        for key in ["SELFDEBUG_LOCAL_MODEL_HOME", "XDG_DATA_HOME"] { environment[key] = ProcessInfo.processInfo.environment[key] }
        let home = LocalModelServer.installation(environment: environment)
        let installed = FileManager.default.isExecutableFile(atPath: home + "/bin/python")
            && LocalModelWeights.size(of: LocalModelChoice.small.path(home: home)) != nil
        try #require(installed, "the small local model is installed by scripts/install-local-model.sh --small (scripts/test.sh runs it)")
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Examples"
        let folder = try TemporaryFolder.make(prefix: "e2e-local")
        environment["OPENAI_API_KEY"] = nil  // no provider configured: the local default
        // Other suites run beside this one: llama.cpp's generating threads spin while they wait for
        // each other, so on a busy machine one thread is much faster than two (README, Local model).
        environment["SELFDEBUG_LOCAL_MODEL_THREADS"] = "1"
        let result = try await CLI.run(["solve", examples + "/python/roman-numerals/task.md", "--out", "run", "--max-iterations", "1", "--local-model", "small"],
                                       in: folder, environment: environment, timeout: 540)
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("local model: Qwen2.5-Coder-0.5B-Instruct (0.49 GB)"), "\(result.stderr)")
        let types = try CLI.events(folder + "/run").compactMap { $0["type"]?.stringValue }
        #expect(types.first == "run_start")
        #expect(types.contains("llm_request"))
        #expect(types.contains("llm_response"))
        #expect(types.last == "run_end")
        let summary = try CLI.summary(folder + "/run")
        #expect((summary["completion_tokens"]?.intValue ?? 0) > 0)
        #expect(summary["provider"]?.stringValue?.hasPrefix("local") == true)

        // The server selfdebug started (and only that one: other servers on this machine are not
        // ours to check) stopped with the command.
        let (pid, port) = try #require(Self.reportedServer(in: result.stderr), "selfdebug reports its server's pid and port")
        #expect(!Self.isLlamaServer(pid: pid))
        #expect(!Self.accepts(port: port))
    }

    /// `server pid N on 127.0.0.1:P` from the run's start.
    static func reportedServer(in text: String) -> (Int32, Int)? {
        guard let range = text.range(of: "server pid ") else { return nil }
        let rest = text[range.upperBound...]
        let pid = rest.prefix { $0.isNumber }
        guard let portStart = rest.range(of: "127.0.0.1:") else { return nil }
        let port = rest[portStart.upperBound...].prefix { $0.isNumber }
        guard let pidValue = Int32(pid), let portValue = Int(port) else { return nil }
        return (pidValue, portValue)
    }

    /// Whether `pid` is (still) a llama.cpp server process.
    static func isLlamaServer(pid: Int32) -> Bool {
        let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        return String(decoding: commandLine, as: UTF8.self).contains("llama_cpp.server")
    }

    /// Whether something listens on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
