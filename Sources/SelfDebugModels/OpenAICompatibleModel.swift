import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfDebugCore

/// A client for any OpenAI-compatible chat completions endpoint (OpenAI, vLLM, llama.cpp's server,
/// Ollama's /v1, LM Studio, OpenRouter...), streamed or not, with retries on transient failures.
public struct OpenAICompatibleModel: ChatModel, ModelLister {
    /// Where and how to call.
    public struct Configuration: Sendable {
        /// The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`.
        public var baseURL: URL
        /// The key, sent as a bearer token when set. Never logged or recorded.
        public var apiKey: String?
        /// Stream the reply with server-sent events.
        public var stream: Bool = true
        /// Seconds to wait for the server to answer (and between streamed chunks).
        public var requestTimeout: Double = 300
        /// Retries.
        public var retry = RetryPolicy()

        /// Creates a configuration.
        public init(baseURL: URL, apiKey: String? = nil) {
            self.baseURL = baseURL
            self.apiKey = apiKey
        }
    }

    let configuration: Configuration
    let clock: any AgentClock
    let onRetry: (@Sendable (_ attempt: Int, _ delay: Double, _ reason: String) -> Void)?

    /// Creates a client. `onRetry` hears of each retry (for a status line).
    public init(configuration: Configuration, clock: any AgentClock = SystemClock(), onRetry: (@Sendable (Int, Double, String) -> Void)? = nil) {
        self.configuration = configuration
        self.clock = clock
        self.onRetry = onRetry
    }

    /// `openai-compatible <base URL>`.
    public var providerName: String { "openai-compatible \(configuration.baseURL.absoluteString)" }

    var endpoint: URL { configuration.baseURL.appendingPathComponent("chat/completions") }

    /// Calls the endpoint, retrying 408/409/429/5xx answers and dropped connections with
    /// exponential backoff and jitter, honouring `Retry-After`.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        try await Retrying(policy: configuration.retry, clock: clock, onRetry: onRetry, endpoint: endpoint.absoluteString, model: request.model).run {
            try await attemptOnce(request, onDelta: onDelta)
        }
    }

    func attemptOnce(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let urlRequest = try makeRequest(request)
        if configuration.stream {
            return try await streamed(urlRequest, request: request, onDelta: onDelta)
        }
        let (head, body) = try await HTTPTransport.send(urlRequest, timeout: configuration.requestTimeout)
        try check(head, body: body, model: request.model)
        return try Self.decodeCompletion(body, request: request, endpoint: endpoint)
    }

    func makeRequest(_ request: ChatRequest) throws -> URLRequest {
        var urlRequest = URLRequest(url: endpoint)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue(configuration.stream ? "text/event-stream" : "application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey, !key.isEmpty {
            urlRequest.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(request.messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) }),
            "temperature": .double(request.temperature),
            "max_tokens": .int(request.maxTokens),
            "stream": .bool(configuration.stream),
        ]
        if configuration.stream { body["stream_options"] = .object(["include_usage": .bool(true)]) }
        urlRequest.httpBody = Data(JSONValue.object(body).serialized().utf8)
        urlRequest.timeoutInterval = configuration.requestTimeout
        return urlRequest
    }

    /// Throws the right error for a non-2xx answer.
    func check(_ head: HTTPHead, body: Data, model: String) throws {
        try Retrying.check(head, body: body, endpoint: endpoint.absoluteString, model: model, policy: configuration.retry,
                           keyName: "OPENAI_API_KEY", notFoundHint: "Check --base-url (it usually ends in /v1) and --model.", redact: redact)
    }

    func streamed(_ urlRequest: URLRequest, request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        var head: HTTPHead?
        var errorBody = Data()
        var parser = ServerSentEvents()
        var text = ""
        var usage: TokenUsage?
        var finish: String?
        var modelName: String?
        var sawDone = false
        for try await piece in HTTPTransport.stream(urlRequest, timeout: configuration.requestTimeout) {
            switch piece {
            case .head(let value):
                head = value
            case .body(let data):
                guard let head, (200..<300).contains(head.status) else { errorBody.append(data); continue }
                for event in parser.feed(data) {
                    if event == "[DONE]" { sawDone = true; continue }
                    guard let chunk = try? JSONDecoder().decode(JSONValue.self, from: Data(event.utf8)) else { continue }
                    if let error = chunk["error"] {
                        throw TransientFailure(reason: "error in stream: \(redact(error["message"]?.stringValue ?? "\(error)"))", retryAfter: nil)
                    }
                    modelName = chunk["model"]?.stringValue ?? modelName
                    if let choice = chunk["choices"]?.arrayValue?.first {
                        if let delta = choice["delta"]?["content"]?.stringValue, !delta.isEmpty {
                            text += delta
                            onDelta?(delta)
                        }
                        if let reason = choice["finish_reason"]?.stringValue { finish = reason }
                    }
                    if let reported = chunk["usage"], let prompt = reported["prompt_tokens"]?.intValue {
                        usage = TokenUsage(promptTokens: prompt, completionTokens: reported["completion_tokens"]?.intValue ?? 0)
                    }
                }
            }
        }
        guard let head else { throw TransientFailure(reason: "no answer", retryAfter: nil) }
        try check(head, body: errorBody, model: request.model)
        if !sawDone, finish == nil {
            throw TransientFailure(reason: "the stream ended before the reply was complete", retryAfter: nil)
        }
        return ChatResponse(
            text: text, usage: usage ?? Self.estimate(request, text), finishReason: finish, model: modelName)
    }

    static func decodeCompletion(_ body: Data, request: ChatRequest, endpoint: URL) throws -> ChatResponse {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body),
              let choice = json["choices"]?.arrayValue?.first
        else {
            throw TransientFailure(reason: "the answer from \(endpoint.absoluteString) was not a chat completion: \(String(decoding: body.prefix(200), as: UTF8.self))", retryAfter: nil)
        }
        let text = choice["message"]?["content"]?.stringValue ?? ""
        var usage = estimate(request, text)
        if let reported = json["usage"], let prompt = reported["prompt_tokens"]?.intValue {
            usage = TokenUsage(promptTokens: prompt, completionTokens: reported["completion_tokens"]?.intValue ?? 0)
        }
        return ChatResponse(text: text, usage: usage, finishReason: choice["finish_reason"]?.stringValue, model: json["model"]?.stringValue)
    }

    /// About four characters a token, when the server does not say.
    static func estimate(_ request: ChatRequest, _ text: String) -> TokenUsage {
        TokenUsage(promptTokens: request.messages.reduce(0) { $0 + $1.content.count } / 4, completionTokens: text.count / 4)
    }

    /// Removes the API key from text a server sent back.
    func redact(_ text: String) -> String { Retrying.redact(text, key: configuration.apiKey) }

}

/// Splits a server-sent event stream into the `data:` payloads of its events.
struct ServerSentEvents {
    private var buffer = Data()
    private var dataLines: [String] = []

    /// Feeds bytes; returns the events completed by them.
    mutating func feed(_ data: Data) -> [String] {
        buffer.append(data)
        var events: [String] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if !dataLines.isEmpty { events.append(dataLines.joined(separator: "\n")) }
                dataLines = []
            } else if line.hasPrefix("data:") {
                var payload = line.dropFirst(5)
                if payload.hasPrefix(" ") { payload = payload.dropFirst() }
                dataLines.append(String(payload))
            }
        }
        return events
    }
}

extension OpenAICompatibleModel {
    /// The model names the endpoint lists at `GET /models` (one attempt, no retries), for `doctor`.
    public func listModels(timeout: Double = 10) async throws -> [String] {
        var urlRequest = URLRequest(url: configuration.baseURL.appendingPathComponent("models"))
        if let key = configuration.apiKey, !key.isEmpty {
            urlRequest.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        let (head, body) = try await HTTPTransport.send(urlRequest, timeout: timeout)
        try check(head, body: body, model: "(listing models)")
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body), let data = json["data"]?.arrayValue ?? json["models"]?.arrayValue else {
            throw ModelError(.badResponse, "\(configuration.baseURL.absoluteString)/models did not answer with a model list")
        }
        return data.compactMap { $0["id"]?.stringValue ?? $0["name"]?.stringValue }
    }
}

/// A provider that can list its models (for `doctor`).
public protocol ModelLister: ChatModel {
    /// The model names the endpoint lists.
    func listModels(timeout: Double) async throws -> [String]
}
