import Foundation

// The events of talking to the model.

extension TrajectoryEvent {
    /// `llm_request`: one request, as sent (after shortening and redaction).
    public struct LLMRequest: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "llm_request"

        /// ``RecordedModel/hash(_:)`` of the request, in hexadecimal.
        public var requestHash: String
        /// The conversation sent.
        public var messages: [ChatMessage]
        /// The model's name.
        public var model: String
        /// Sampling temperature.
        public var temperature: Double
        /// The most tokens the reply may have.
        public var maxTokens: Int
        /// Earlier messages left out to fit the model's context.
        public var droppedMessages: Int
        /// The prompt's size as estimated before sending.
        public var estimatedPromptTokens: Int
        /// Secrets replaced in the messages: where and what kind, never the secret.
        public var redactions: [Redaction]

        /// The fields of `request` as planned.
        public init(_ request: ChatRequest, droppedMessages: Int, estimatedPromptTokens: Int, redactions: [Redaction]) {
            requestHash = String(RecordedModel.hash(request), radix: 16)
            messages = request.messages
            model = request.model
            temperature = request.temperature
            maxTokens = request.maxTokens
            self.droppedMessages = droppedMessages
            self.estimatedPromptTokens = estimatedPromptTokens
            self.redactions = redactions
        }

        /// The request this event records.
        public var request: ChatRequest {
            ChatRequest(model: model, messages: messages, temperature: temperature, maxTokens: maxTokens)
        }

        enum CodingKeys: String, CodingKey {
            case requestHash = "request_hash", messages, model, temperature, maxTokens = "max_tokens"
            case droppedMessages = "dropped_messages", estimatedPromptTokens = "estimated_prompt_tokens", redactions
        }

        /// Reads the event; the messages are required (without them the request cannot be matched).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            messages = try container.snakeCased([ChatMessage].self, .messages)
            requestHash = container.lenient(.requestHash, "")
            model = container.lenient(.model, "")
            temperature = container.lenient(.temperature, 0)
            maxTokens = container.lenient(.maxTokens, 0)
            droppedMessages = container.lenient(.droppedMessages, 0)
            estimatedPromptTokens = container.lenient(.estimatedPromptTokens, 0)
            redactions = container.lenient(.redactions, [])
        }

        /// Writes the event's fields.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(requestHash, forKey: .requestHash)
            try container.encodeSnakeCased(messages, forKey: .messages)
            try container.encode(model, forKey: .model)
            try container.encode(temperature, forKey: .temperature)
            try container.encode(maxTokens, forKey: .maxTokens)
            try container.encode(droppedMessages, forKey: .droppedMessages)
            try container.encode(estimatedPromptTokens, forKey: .estimatedPromptTokens)
            try container.encode(redactions, forKey: .redactions)
        }
    }

    /// `llm_response`: the model's reply.
    public struct LLMResponse: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "llm_response"

        /// The reply's text.
        public var text: String
        /// Token counts.
        public var usage: TokenUsage
        /// Seconds from the request to the whole reply.
        public var latencySeconds: Double
        /// Why the model stopped, when said.
        public var finishReason: String?
        /// HTTP attempts the reply took.
        public var attempts: Int
        /// The reply came from a recorded run.
        public var replayed: Bool

        /// The fields of `response`, which took `latencySeconds`.
        public init(_ response: ChatResponse, latencySeconds: Double) {
            text = response.text
            usage = response.usage
            self.latencySeconds = latencySeconds
            finishReason = response.finishReason
            attempts = response.attempts
            replayed = response.replayed ?? false
        }

        /// The reply as a response (what a recorded model serves).
        public var response: ChatResponse {
            ChatResponse(text: text, usage: usage, finishReason: finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case text, usage, latencySeconds = "latency_seconds", finishReason = "finish_reason", attempts, replayed
        }

        /// Reads the event; the text is required.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decode(String.self, forKey: .text)
            usage = container.snakeCased(.usage, TokenUsage())
            latencySeconds = container.lenient(.latencySeconds, 0)
            finishReason = container.lenient(String.self, .finishReason)
            attempts = container.lenient(.attempts, 1)
            replayed = container.lenient(.replayed, false)
        }

        /// Writes the event's fields.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encodeSnakeCased(usage, forKey: .usage)
            try container.encode(latencySeconds, forKey: .latencySeconds)
            try container.encodeNullable(finishReason, forKey: .finishReason)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(replayed, forKey: .replayed)
        }
    }

    /// `context_exceeded`: the provider refused a request as too long; it goes again, shorter.
    public struct ContextExceeded: Sendable, Equatable, Codable {
        /// The event type as written.
        public static let type = "context_exceeded"

        /// The provider's message.
        public var message: String
        /// The share of the context the next try aims at.
        public var shrink: Double

        /// Creates the event's fields.
        public init(message: String, shrink: Double) {
            self.message = message
            self.shrink = shrink
        }

        /// Reads the event.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = container.lenient(.message, "")
            shrink = container.lenient(.shrink, 1)
        }
    }
}
