import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import SelfDebugCore
@testable import SelfDebugModels
import CCurl
import TestSupport

/// The libcurl transport under the clients: streaming as it arrives, cancellation, the idle
/// timeout, interim answers. Every wait is for an event the scripted server reports; the time
/// limits only stop a broken build from hanging.
@Suite("HTTP transport (libcurl) against a scripted server on loopback")
struct HTTPTransportTests {
    let request = ChatRequest(model: "scripted-model", messages: [ChatMessage(role: .user, content: "write f")], maxTokens: 100)

    func client(_ server: ScriptedServer, stream: Bool, timeout: Double, attempts: Int = 6) -> OpenAICompatibleModel {
        var configuration = OpenAICompatibleModel.Configuration(baseURL: URL(string: server.baseURL)!)
        configuration.stream = stream
        configuration.requestTimeout = timeout
        configuration.retry.maxAttempts = attempts
        return OpenAICompatibleModel(configuration: configuration, clock: ManualClock())
    }

    @Test(.timeLimit(.minutes(1)))
    func deliversAStreamPieceByPiece() async throws {
        let first = String(repeating: "a", count: 40)
        let text = first + String(repeating: "b", count: 40) + "c"
        let server = try ScriptedServer([.held(text)])
        let (deltas, sink) = AsyncStream<String>.makeStream()
        let model = client(server, stream: true, timeout: 600)
        let request = request
        let reply = Task { try await model.complete(request) { sink.yield($0) } }
        var received = deltas.makeAsyncIterator()
        // The server sends the rest only after this first delta has come through.
        #expect(await received.next() == first)
        server.release()
        let response = try await reply.value
        #expect(response.text == text)
        #expect(response.finishReason == "stop")
    }

    @Test(.timeLimit(.minutes(1)), arguments: [true, false])
    func cancellingTheTaskHangsUpOnASilentServer(stream: Bool) async throws {
        let server = try ScriptedServer([.hang])
        // A long idle timeout: only the cancellation can end this request.
        let model = client(server, stream: stream, timeout: 600)
        let request = request
        let reply = Task { try await model.complete(request, onDelta: nil) }
        await server.waitFor("request")
        reply.cancel()
        await #expect(throws: CancellationError.self) { try await reply.value }
        await server.waitFor("closed")
    }

    @Test(.timeLimit(.minutes(1)))
    func breakingOutOfAStreamHangsUp() async throws {
        let server = try ScriptedServer([.hang])
        var urlRequest = URLRequest(url: URL(string: server.baseURL + "/chat/completions")!)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = Data(#"{"model": "m", "messages": []}"#.utf8)
        let pieces = Task {
            for try await _ in HTTPTransport.stream(urlRequest, timeout: 600) { break }
        }
        await server.waitFor("request")
        pieces.cancel()
        _ = await pieces.result
        await server.waitFor("closed")
    }

    @Test(.timeLimit(.minutes(1)), arguments: [true, false])
    func aSilentServerTimesOut(stream: Bool) async throws {
        let server = try ScriptedServer([.hang])
        await #expect {
            _ = try await client(server, stream: stream, timeout: 1, attempts: 1).complete(request, onDelta: nil)
        } throws: { error in
            guard let error = error as? ModelError else { return false }
            return error.code == .unavailable && error.message.contains("no answer in time")
        }
        await server.waitFor("closed")
    }

    @Test(.timeLimit(.minutes(1)))
    func theTimeoutIsForSilenceNotForTheWholeReply() async throws {
        // Twenty-four pieces 0.2 s apart under a 3 s timeout: 4.8 s in all, never near 3 s
        // without a byte (fifteen times the gap, so a busy machine does not close the margin).
        let text = String(repeating: "x", count: 960)
        let server = try ScriptedServer([.trickled(text, gap: 0.2)])
        let response = try await client(server, stream: true, timeout: 3, attempts: 1).complete(request, onDelta: nil)
        #expect(response.text == text)
    }

    @Test(arguments: [true, false])
    func anInterimContinueIsNotTheAnswer(stream: Bool) async throws {
        let server = try ScriptedServer([.afterContinue("fine"), .status(500), .reply("after a 500")])
        let model = client(server, stream: stream, timeout: 10)
        #expect(try await model.complete(request, onDelta: nil).text == "fine")
        let retried = try await model.complete(request, onDelta: nil)
        #expect(retried.text == "after a 500")
        #expect(retried.attempts == 2)
    }

    @Test func theHeadOfTheLastResponseBlockCounts() async throws {
        let server = try ScriptedServer([.afterContinue("fine")])
        var urlRequest = URLRequest(url: URL(string: server.baseURL + "/chat/completions")!)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = Data(#"{"model": "m", "messages": []}"#.utf8)
        let (head, body) = try await HTTPTransport.send(urlRequest, timeout: 10)
        #expect(head.status == 200)
        #expect(head.header("X-Interim") == nil)
        #expect(head.header("content-type") == "application/json")
        #expect(String(decoding: body, as: UTF8.self).contains("fine"))
    }

    @Test func headParserStartsOverAtEachStatusLine() {
        var parser = HTTPHeadParser()
        let lines = ["HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n",
                     "HTTP/2 429 \r\n", "retry-after: 7\r\n", "Set-Cookie: a=1\r\n", "Set-Cookie: b=2\r\n", "\r\n"]
        var starts: [Bool] = []
        for (index, line) in lines.enumerated() {
            starts.append(parser.feed(line))
            if index == 2 { #expect(parser.head?.status == 100) }
        }
        #expect(starts == [true, false, false, true, false, false, false, false])
        #expect(parser.head?.status == 429)
        #expect(parser.head?.header("Retry-After") == "7")
        #expect(parser.head?.header("X-Interim") == nil)
        #expect(parser.head?.header("set-cookie") == "a=1, b=2")
    }

    @Test func curlFailuresKeepURLSessionsCodes() {
        #expect(CurlTransfer.urlError(CURLE_COULDNT_CONNECT, detail: "", url: nil).code == .cannotConnectToHost)
        #expect(CurlTransfer.urlError(CURLE_OPERATION_TIMEDOUT, detail: "", url: nil).code == .timedOut)
        #expect(CurlTransfer.urlError(CURLE_GOT_NOTHING, detail: "", url: nil).code == .networkConnectionLost)
        #expect(CurlTransfer.urlError(CURLE_RECV_ERROR, detail: "", url: nil).code == .networkConnectionLost)
        #expect(Retrying.isTransient(CurlTransfer.urlError(CURLE_COULDNT_RESOLVE_HOST, detail: "", url: nil)))
        #expect(!Retrying.isTransient(CurlTransfer.urlError(CURLE_PEER_FAILED_VERIFICATION, detail: "", url: nil)))
    }
}
