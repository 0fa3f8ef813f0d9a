import Foundation

/// A model that answers from a recorded run where it can: a request identical to a recorded one
/// (same model, messages, temperature and token limit) gets the recorded reply; any other goes to
/// the live model. Used to resume an interrupted run and to branch from a step of an old one.
public final class RecordedModel: ChatModel, @unchecked Sendable {
    private let recorded: [UInt64: ChatResponse]
    private let live: (any ChatModel)?
    private let lock = NSLock()
    private var served = 0

    /// Answers from `recorded` (request hash → reply), else from `live`.
    public init(recorded: [UInt64: ChatResponse], live: (any ChatModel)?) {
        self.recorded = recorded
        self.live = live
    }

    /// The live model's name, or `recorded` when there is none.
    public var providerName: String { live.map { "\($0.providerName) (recorded replies first)" } ?? "recorded replies" }

    /// How many replies came from the record.
    public var servedFromRecord: Int { lock.withLock { served } }

    /// The recorded reply for an identical request, else the live model's.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        if var response = recorded[Self.hash(request)] {
            lock.withLock { served += 1 }
            response.replayed = true
            onDelta?(response.text)
            return response
        }
        guard let live else {
            throw ModelError(.unavailable, "the record has no reply for this request and no model is configured to continue")
        }
        return try await live.complete(request, onDelta: onDelta)
    }

    /// FNV-1a over the request's canonical JSON: model, messages, temperature, token limit.
    public static func hash(_ request: ChatRequest) -> UInt64 {
        let text = JSONValue.object([
            "model": .string(request.model), "messages": JSONValue(encoding: request.messages),
            "temperature": .double(request.temperature), "max_tokens": .int(request.maxTokens),
        ]).serialized()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// The request/reply pairs of a trajectory's events, for iterations before `beforeIteration`.
    public static func replies(in events: [JSONValue], beforeIteration: Int = Int.max) -> [UInt64: ChatResponse] {
        var result: [UInt64: ChatResponse] = [:]
        var pending: ChatRequest?
        let decoder = JSONDecoder()
        for event in events {
            let iteration = event["iteration"]?.intValue ?? 0
            switch event["type"]?.stringValue {
            case "llm_request":
                guard iteration < beforeIteration, let messages = try? decoder.decode([ChatMessage].self, from: Data((event["messages"] ?? .array([])).serialized().utf8)) else {
                    pending = nil
                    continue
                }
                pending = ChatRequest(
                    model: event["model"]?.stringValue ?? "", messages: messages,
                    temperature: event["temperature"]?.doubleValue ?? 0, maxTokens: event["max_tokens"]?.intValue ?? 0)
            case "llm_response":
                if let request = pending, let text = event["text"]?.stringValue {
                    let usage = TokenUsage(promptTokens: event["usage"]?["prompt_tokens"]?.intValue ?? 0,
                                           completionTokens: event["usage"]?["completion_tokens"]?.intValue ?? 0)
                    result[hash(request)] = ChatResponse(text: text, usage: usage, finishReason: event["finish_reason"]?.stringValue)
                }
                pending = nil
            default:
                continue
            }
        }
        return result
    }
}
