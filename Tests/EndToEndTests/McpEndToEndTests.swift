import Foundation
import Testing
import SelfDebugCore
import SelfDebugSandbox
import TestSupport

/// A JSON-RPC client speaking MCP over the stdio of `selfdebug mcp`.
final class McpClient: @unchecked Sendable {
    let process: SpawnedProcess  // stopped (its whole group) when the client goes away
    private let lock = NSLock()
    private var buffer = Data()
    private var messages: [JSONValue] = []

    init(arguments: [String], environment: [String: String], folder: String) throws {
        process = try ProcessRunner.spawn(CLI.binary, arguments: ["mcp"] + arguments, environment: environment, workingDirectory: folder,
                                          standardInput: .pipe, standardOutput: .pipe)
        process.standardOutput?.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock {
                self.buffer.append(data)
                while let newline = self.buffer.firstIndex(of: 10) {
                    let line = self.buffer[self.buffer.startIndex..<newline]
                    self.buffer.removeSubrange(self.buffer.startIndex...newline)
                    if let message = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) { self.messages.append(message) }
                }
            }
        }
    }

    func send(_ message: JSONValue) {
        process.standardInput?.write(Data((message.serialized() + "\n").utf8))
    }

    /// Sends a request and waits for its response.
    func request(_ id: Int, _ method: String, _ params: JSONValue, timeout: Double = 120) async throws -> JSONValue {
        send(.object(["jsonrpc": .string("2.0"), "id": .int(id), "method": .string(method), "params": params]))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let response = lock.withLock({ messages.first { $0["id"]?.intValue == id } }) { return response }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no response to \(method)"])
    }

    var notifications: [JSONValue] { lock.withLock { messages.filter { $0["id"] == nil } } }
}

@Suite("selfdebug mcp, end to end")
struct McpEndToEndTests {
    @Test func listsAndCallsToolsWithProgress() async throws {
        let server = try ScriptedServer([
            .reply("```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n\ndef median(xs):\n    return 0\n```\n"),
            .reply("stats.py\n```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n\ndef median(xs):\n    if not xs:\n        return 0\n    xs = sorted(xs)\n    n = len(xs)\n    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2\n```\n"),
        ])
        let folder = try TemporaryFolder.make(prefix: "e2e-mcp")
        try TemporaryFolder.write([
            "task.md": "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\nmax_iterations: 3\n---\n# Stats\nWrite mean and median; 0 for an empty list.\n",
            "test_stats.py": "from stats import mean, median\n\ndef test_mean():\n    assert mean([]) == 0\n\ndef test_median():\n    assert median([1, 2, 3, 4]) == 2.5\n",
        ], in: folder)
        let client = try McpClient(arguments: [], environment: CLI.environment(server), folder: folder)
        let initialized = try await client.request(1, "initialize", .object([
            "protocolVersion": .string("2025-06-18"), "capabilities": .object([:]),
            "clientInfo": .object(["name": .string("selfdebug-test"), "version": .string("1.0")]),
        ]))
        #expect(initialized["result"]?["serverInfo"]?["name"]?.stringValue == "selfdebug")
        client.send(.object(["jsonrpc": .string("2.0"), "method": .string("notifications/initialized")]))

        let listed = try await client.request(2, "tools/list", .object([:]))
        let names = listed["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["solve", "fix"])
        // solve writes a run folder and changes nothing of the user's; fix rewrites the project; both ask a model.
        let tools = listed["result"]?["tools"]?.arrayValue ?? []
        let solveTool = tools.first { $0["name"]?.stringValue == "solve" }
        let fixTool = tools.first { $0["name"]?.stringValue == "fix" }
        for (tool, destructive) in [(solveTool, false), (fixTool, true)] {
            let annotations = tool?["annotations"]
            #expect(annotations?["readOnlyHint"]?.boolValue == false)
            #expect(annotations?["destructiveHint"]?.boolValue == destructive)
            #expect(annotations?["idempotentHint"]?.boolValue == false)
            #expect(annotations?["openWorldHint"]?.boolValue == true)
            #expect(tool?["outputSchema"]?["type"]?.stringValue == "object")
            #expect(tool?["outputSchema"]?["required"] == .array([.string("status")]))
        }
        #expect(solveTool?["outputSchema"]?["properties"]?["files"] != nil)
        #expect(fixTool?["outputSchema"]?["properties"]?["patch"] != nil)

        let called = try await client.request(3, "tools/call", .object([
            "name": .string("solve"),
            "arguments": .object(["task_file": .string(folder + "/task.md"), "out": .string(folder + "/run")]),
            "_meta": .object(["progressToken": .string("progress-1")]),
        ]))
        let text = called["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(called["result"]?["isError"]?.boolValue == false, "\(called)")
        #expect(text.contains("\"status\":\"solved\""))
        #expect(text.contains("if xs else 0"))
        let structured = called["result"]?["structuredContent"]
        #expect(structured?["status"]?.stringValue == "solved")
        #expect(structured?["exit_status"]?.intValue == 0)
        #expect(structured?["iterations"]?.intValue == 2)
        #expect(structured?["run_dir"]?.stringValue == folder + "/run")
        #expect(structured?["solution_dir"]?.stringValue == folder + "/run/solution")
        #expect(structured?["files"] == .array([.string("stats.py")]))
        #expect(structured?["tests"]?["passed"]?.intValue == 2)
        #expect(structured?["tests"]?["failed"]?.intValue == 0)
        #expect((structured?["usage"]?["prompt_tokens"]?.intValue ?? 0) > 0)
        let progress = client.notifications.filter { $0["method"]?.stringValue == "notifications/progress" }
        #expect(progress.count >= 4)
        #expect(progress.allSatisfy { $0["params"]?["progressToken"]?.stringValue == "progress-1" })
        #expect(progress.contains { $0["params"]?["message"]?.stringValue?.contains("running the tests") == true })

        let unknown = try await client.request(4, "tools/call", .object(["name": .string("deploy"), "arguments": .object([:])]))
        #expect(unknown["result"]?["isError"]?.boolValue == true)
        #expect(unknown["result"]?["structuredContent"]?["status"]?.stringValue == "error")
        #expect(unknown["result"]?["structuredContent"]?["exit_status"]?.intValue == 2)
    }
}
