import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfDebugCore

/// A client for Anthropic's Messages API, streamed or not, with the same retries, timeouts and
/// error statuses as the OpenAI-compatible client.
public struct AnthropicModel: ChatModel, ModelLister {
    /// Where and how to call.
    public struct Configuration: Sendable {
        /// The API base, as the official SDKs read `ANTHROPIC_BASE_URL` (default `https://api.anthropic.com`).
        public var baseURL: URL
        /// The key (`x-api-key`). Never logged or recorded.
        public var apiKey: String?
        /// The `anthropic-version` header.
        public var version = "2023-06-01"
        /// Stream the reply (server-sent events).
        public var stream = true
        /// Seconds to wait for the server to answer (and between streamed events).
        public var requestTimeout: Double = 300
        /// Retries (429, 500, 529 overloaded...).
        public var retry = RetryPolicy()

        /// Creates a configuration.
        public init(baseURL: URL = URL(string: "https://api.anthropic.com")!, apiKey: String?) {
            self.baseURL = baseURL
            self.apiKey = apiKey
        }
    }

    let configuration: Configuration
    let clock: any AgentClock
    let onRetry: (@Sendable (Int, Double, String) -> Void)?

    /// Creates a client.
    public init(configuration: Configuration, clock: any AgentClock = SystemClock(), onRetry: (@Sendable (Int, Double, String) -> Void)? = nil) {
        self.configuration = configuration
        self.clock = clock
        self.onRetry = onRetry
    }

    /// `anthropic <base URL>`.
    public var providerName: String { "anthropic \(configuration.baseURL.absoluteString)" }

    var endpoint: URL { configuration.baseURL.appendingPathComponent("v1/messages") }

    /// Calls the Messages API with retries.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        try await Retrying(policy: configuration.retry, clock: clock, onRetry: onRetry, endpoint: endpoint.absoluteString, model: request.model).run {
            let urlRequest = try makeRequest(request)
            if configuration.stream { return try await streamed(urlRequest, request: request, onDelta: onDelta) }
            let (head, body) = try await HTTPTransport.send(urlRequest, timeout: configuration.requestTimeout)
            try check(head, body: body, model: request.model)
            return try decode(body, request: request)
        }
    }

    func makeRequest(_ request: ChatRequest) throws -> URLRequest {
        var urlRequest = URLRequest(url: endpoint)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "content-type")
        urlRequest.setValue(configuration.version, forHTTPHeaderField: "anthropic-version")
        if let key = configuration.apiKey, !key.isEmpty { urlRequest.setValue(key, forHTTPHeaderField: "x-api-key") }
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "max_tokens": .int(request.maxTokens),
            "temperature": .double(min(1, request.temperature)),
            "messages": .array(request.messages.filter { $0.role != .system }.map {
                .object(["role": .string($0.role.rawValue), "content": .string($0.content)])
            }),
            "stream": .bool(configuration.stream),
        ]
        if !system.isEmpty { body["system"] = .string(system) }
        urlRequest.httpBody = Data(JSONValue.object(body).serialized().utf8)
        urlRequest.timeoutInterval = configuration.requestTimeout
        return urlRequest
    }

    func check(_ head: HTTPHead, body: Data, model: String) throws {
        try Retrying.check(head, body: body, endpoint: endpoint.absoluteString, model: model, policy: configuration.retry,
                           keyName: "ANTHROPIC_API_KEY", notFoundHint: "Check ANTHROPIC_BASE_URL (without /v1) and --model.", redact: redact)
    }

    func decode(_ body: Data, request: ChatRequest) throws -> ChatResponse {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body), let content = json["content"]?.arrayValue else {
            throw TransientFailure(reason: "the answer from \(endpoint.absoluteString) was not a message: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        let text = content.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
        let usage = TokenUsage(promptTokens: json["usage"]?["input_tokens"]?.intValue ?? 0, completionTokens: json["usage"]?["output_tokens"]?.intValue ?? 0)
        return ChatResponse(text: text, usage: usage, finishReason: json["stop_reason"]?.stringValue, model: json["model"]?.stringValue)
    }

    func streamed(_ urlRequest: URLRequest, request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        var head: HTTPHead?
        var errorBody = Data()
        var parser = ServerSentEvents()
        var text = ""
        var usage = TokenUsage()
        var stop: String?
        var modelName: String?
        var finished = false
        for try await piece in HTTPTransport.stream(urlRequest, timeout: configuration.requestTimeout) {
            switch piece {
            case .head(let value):
                head = value
            case .body(let data):
                guard let head, (200..<300).contains(head.status) else { errorBody.append(data); continue }
                for payload in parser.feed(data) {
                    guard let event = try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8)) else { continue }
                    switch event["type"]?.stringValue {
                    case "message_start":
                        modelName = event["message"]?["model"]?.stringValue
                        usage.promptTokens = event["message"]?["usage"]?["input_tokens"]?.intValue ?? 0
                    case "content_block_delta":
                        if let delta = event["delta"]?["text"]?.stringValue {
                            text += delta
                            onDelta?(delta)
                        }
                    case "message_delta":
                        stop = event["delta"]?["stop_reason"]?.stringValue ?? stop
                        usage.completionTokens = event["usage"]?["output_tokens"]?.intValue ?? usage.completionTokens
                    case "message_stop":
                        finished = true
                    case "error":
                        throw TransientFailure(reason: "error in stream: \(redact(event["error"]?["message"]?.stringValue ?? "unknown"))")
                    default:
                        continue
                    }
                }
            }
        }
        guard let head else { throw TransientFailure(reason: "no answer") }
        try check(head, body: errorBody, model: request.model)
        guard finished else { throw TransientFailure(reason: "the stream ended before the reply was complete") }
        return ChatResponse(text: text, usage: usage, finishReason: stop, model: modelName)
    }

    /// Removes the API key from text a server sent back.
    func redact(_ text: String) -> String { Retrying.redact(text, key: configuration.apiKey) }

    /// The model names the endpoint lists at `GET /v1/models`, for `doctor`.
    public func listModels(timeout: Double = 10) async throws -> [String] {
        var urlRequest = URLRequest(url: configuration.baseURL.appendingPathComponent("v1/models"))
        urlRequest.setValue(configuration.version, forHTTPHeaderField: "anthropic-version")
        if let key = configuration.apiKey { urlRequest.setValue(key, forHTTPHeaderField: "x-api-key") }
        let (head, body) = try await HTTPTransport.send(urlRequest, timeout: timeout)
        try check(head, body: body, model: "(listing models)")
        let json = try? JSONDecoder().decode(JSONValue.self, from: body)
        return (json?["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }
}
