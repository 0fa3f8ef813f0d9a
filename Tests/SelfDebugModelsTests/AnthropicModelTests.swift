import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugModels
import TestSupport

@Suite("Anthropic client against a scripted Messages API on loopback")
struct AnthropicModelTests {
    let request = ChatRequest(model: "claude-test", messages: [
        ChatMessage(role: .system, content: "You are careful."), ChatMessage(role: .user, content: "write f"),
    ], maxTokens: 200)

    func client(_ server: ScriptedServer, stream: Bool, clock: ManualClock = ManualClock()) -> AnthropicModel {
        var configuration = AnthropicModel.Configuration(baseURL: URL(string: server.rootURL)!, apiKey: "sk-ant-test-secret")
        configuration.stream = stream
        configuration.requestTimeout = 10
        return AnthropicModel(configuration: configuration, clock: clock)
    }

    @Test(arguments: [true, false])
    func completes(stream: Bool) async throws {
        let server = try ScriptedServer([.reply("```python\ndef f():\n    return 42\n```\n")])
        let response = try await client(server, stream: stream).complete(request, onDelta: nil)
        #expect(response.text == "```python\ndef f():\n    return 42\n```\n")
        #expect(response.finishReason == "end_turn")
        #expect(response.usage.promptTokens > 0)
        #expect(response.usage.completionTokens > 0)
        let logged = try #require(server.requests().first)
        #expect(logged["path"]?.stringValue == "/v1/messages")
        #expect(logged["x_api_key"]?.stringValue == "sk-ant-test-secret")
        #expect(logged["anthropic_version"]?.stringValue == "2023-06-01")
        #expect(logged["body"]?["system"]?.stringValue == "You are careful.")
        #expect(logged["body"]?["messages"]?.arrayValue?.count == 1)
        #expect(logged["body"]?["max_tokens"]?.intValue == 200)
        #expect(logged["body"]?["stream"]?.boolValue == stream)
    }

    @Test(arguments: [429, 529, 500])
    func retriesTransientStatuses(status: Int) async throws {
        let server = try ScriptedServer([.status(status, message: "Overloaded"), .reply("ok")])
        let clock = ManualClock()
        let response = try await client(server, stream: true, clock: clock).complete(request, onDelta: nil)
        #expect(response.text == "ok")
        #expect(response.attempts == 2)
        #expect(clock.sleptSeconds.count == 1)
    }

    @Test func unauthorizedNamesTheKeyVariableNotTheKey() async throws {
        let server = try ScriptedServer([.status(401, message: "invalid x-api-key sk-ant-test-secret")])
        await #expect {
            _ = try await client(server, stream: false).complete(request, onDelta: nil)
        } throws: { error in
            guard let error = error as? ModelError else { return false }
            return error.code == .unauthorized && error.message.contains("ANTHROPIC_API_KEY") && !error.message.contains("sk-ant-test-secret")
                && error.message.contains("claude-test")
        }
    }
}
