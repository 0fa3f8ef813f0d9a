import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugModels
import TestSupport

@Suite("OpenAI-compatible client against a scripted server on loopback")
struct OpenAICompatibleModelTests {
    let request = ChatRequest(model: "scripted-model", messages: [ChatMessage(role: .user, content: "write f")], maxTokens: 100)

    func client(_ server: ScriptedServer, stream: Bool, key: String? = nil, clock: ManualClock = ManualClock()) -> OpenAICompatibleModel {
        var configuration = OpenAICompatibleModel.Configuration(baseURL: URL(string: server.baseURL)!, apiKey: key)
        configuration.stream = stream
        configuration.requestTimeout = 10
        return OpenAICompatibleModel(configuration: configuration, clock: clock)
    }

    @Test(arguments: [true, false])
    func completes(stream: Bool) async throws {
        let server = try ScriptedServer([.reply("Here:\n```python\ndef f():\n    return 42\n```\n")])
        let deltas = DeltaCollector()
        let response = try await client(server, stream: stream, key: "sk-test-secret").complete(request) { deltas.add($0) }
        #expect(response.text == "Here:\n```python\ndef f():\n    return 42\n```\n")
        #expect(response.finishReason == "stop")
        #expect(response.usage.completionTokens > 0)
        #expect(response.usage.promptTokens > 0)
        #expect(response.attempts == 1)
        if stream { #expect(deltas.joined == response.text) }
        let logged = try #require(server.requests().first)
        #expect(logged["authorization"]?.stringValue == "Bearer sk-test-secret")
        #expect(logged["body"]?["stream"]?.boolValue == stream)
        #expect(logged["body"]?["max_tokens"]?.intValue == 100)
        #expect(logged["body"]?["model"]?.stringValue == "scripted-model")
    }

    @Test(arguments: [429, 500, 502, 503, 504])
    func retriesTransientStatuses(status: Int) async throws {
        let server = try ScriptedServer([.status(status), .status(status), .reply("ok")])
        let clock = ManualClock()
        let response = try await client(server, stream: true, clock: clock).complete(request, onDelta: nil)
        #expect(response.text == "ok")
        #expect(response.attempts == 3)
        #expect(clock.sleptSeconds.count == 2)
        // Exponential with jitter: the second wait's step is twice the first's.
        #expect(clock.sleptSeconds[0] >= 0.5 && clock.sleptSeconds[0] <= 1)
        #expect(clock.sleptSeconds[1] >= 1 && clock.sleptSeconds[1] <= 2)
    }

    @Test func honoursRetryAfter() async throws {
        let server = try ScriptedServer([.status(429, headers: ["Retry-After": "7"]), .reply("ok")])
        let clock = ManualClock()
        _ = try await client(server, stream: false, clock: clock).complete(request, onDelta: nil)
        #expect(clock.sleptSeconds == [7])
    }

    @Test func retriesDroppedConnections() async throws {
        let server = try ScriptedServer([.drop, .reply("after the drop")])
        let response = try await client(server, stream: true).complete(request, onDelta: nil)
        #expect(response.text == "after the drop")
        #expect(response.attempts == 2)
    }

    @Test func givesUpAfterEveryAttempt() async throws {
        let server = try ScriptedServer(Array(repeating: .status(503), count: 6))
        let clock = ManualClock()
        await #expect {
            _ = try await client(server, stream: false, clock: clock).complete(request, onDelta: nil)
        } throws: { error in
            guard let error = error as? ModelError else { return false }
            return error.code == .unavailable && error.message.contains("after 6 attempts") && error.message.contains("HTTP 503")
        }
        #expect(server.requests().count == 6)
        #expect(clock.sleptSeconds.count == 5)
    }

    @Test func unauthorizedEndsAtOnceNamingEndpointAndModelNotTheKey() async throws {
        let server = try ScriptedServer([.status(401, message: "Incorrect API key provided: sk-very-secret-key")])
        await #expect {
            _ = try await client(server, stream: true, key: "sk-very-secret-key").complete(request, onDelta: nil)
        } throws: { error in
            guard let error = error as? ModelError else { return false }
            return error.code == .unauthorized && error.message.contains(server.baseURL) && error.message.contains("scripted-model")
                && !error.message.contains("sk-very-secret-key") && error.message.contains("[redacted]")
        }
        #expect(server.requests().count == 1)
    }

    @Test func notFoundSaysToCheckTheBaseURL() async throws {
        let server = try ScriptedServer([.status(404, message: "model not found")])
        await #expect {
            _ = try await client(server, stream: false).complete(request, onDelta: nil)
        } throws: { error in
            (error as? ModelError)?.code == .notFound && "\(error)".contains("--base-url")
        }
    }

    @Test func nothingListeningIsUnavailableAfterRetries() async throws {
        var configuration = OpenAICompatibleModel.Configuration(baseURL: URL(string: "http://127.0.0.1:9/v1")!)
        configuration.retry.maxAttempts = 2
        let model = OpenAICompatibleModel(configuration: configuration, clock: ManualClock())
        await #expect {
            _ = try await model.complete(request, onDelta: nil)
        } throws: { error in
            (error as? ModelError)?.code == .unavailable
        }
    }

    @Test func serverSentEventsSplitAcrossChunks() {
        var parser = ServerSentEvents()
        #expect(parser.feed(Data("data: {\"a\":".utf8)).isEmpty)
        #expect(parser.feed(Data("1}\n\ndata: [DONE]\r\n\r\n".utf8)) == ["{\"a\":1}", "[DONE]"])
    }

    @Test func retryAfterAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:40 GMT", now: now)
        #expect(later.map { abs($0 - 20) < 1 } == true)
    }
}

final class DeltaCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func add(_ part: String) { lock.withLock { parts.append(part) } }
    var joined: String { lock.withLock { parts.joined() } }
}
