import Foundation
import Testing
import SelfDebugCore
import SelfDebugModels
import TestSupport

/// The embedded local model, for real (installed by scripts/test.sh; slow: a minute or so).
@Suite("The embedded local model, end to end")
struct LocalModelEndToEndTests {
    @Test(.timeLimit(.minutes(10)))
    func anExampleRunsAgainstTheRealLocalModelAndIsRecorded() async throws {
        let installed = FileManager.default.isExecutableFile(atPath: LocalModelServer.installation() + "/bin/python")
        try #require(installed, "the local model is installed by scripts/install-local-model.sh (scripts/test.sh runs it)")
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Examples"
        let folder = try TemporaryFolder.make(prefix: "e2e-local")
        var environment = CLI.environment(nil)
        environment["OPENAI_API_KEY"] = nil  // no provider configured: the local default
        let result = try await CLI.run(["solve", examples + "/python/word-stats/task.md", "--out", "run", "--max-iterations", "1"],
                                       in: folder, environment: environment, timeout: 540)
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("tiny and solves only easy tasks"))
        let types = try CLI.events(folder + "/run").compactMap { $0["type"]?.stringValue }
        #expect(types.first == "run_start")
        #expect(types.contains("llm_request"))
        #expect(types.contains("llm_response"))
        #expect(types.last == "run_end")
        let summary = try CLI.summary(folder + "/run")
        #expect((summary["completion_tokens"]?.intValue ?? 0) > 0)
        #expect(summary["provider"]?.stringValue?.hasPrefix("local") == true)
        // The server stopped with the command.
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let servers = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }.filter { pid in
            String(decoding: FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data(), as: UTF8.self).contains("llama_cpp.server")
        }
        #expect(servers.isEmpty)
    }
}
