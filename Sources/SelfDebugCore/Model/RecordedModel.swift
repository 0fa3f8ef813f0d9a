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
    public static func replies(in events: [TrajectoryEvent], beforeIteration: Int = Int.max) -> [UInt64: ChatResponse] {
        var result: [UInt64: ChatResponse] = [:]
        var pending: ChatRequest?
        for event in events {
            switch event.body {
            case .llmRequest(let request):
                pending = event.iteration < beforeIteration ? request.request : nil
            case .llmResponse(let response):
                if let request = pending { result[hash(request)] = response.response }
                pending = nil
            default:
                // A request or reply this version cannot read (kept as `other`) breaks the pair.
                if [TrajectoryEvent.LLMRequest.type, TrajectoryEvent.LLMResponse.type].contains(event.type) { pending = nil }
            }
        }
        return result
    }
}
