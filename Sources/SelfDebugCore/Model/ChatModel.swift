import Foundation

/// One message of a chat conversation.
public struct ChatMessage: Codable, Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Codable, Sendable { case system, user, assistant }
    /// Who speaks.
    public var role: Role
    /// What is said.
    public var content: String

    /// Creates a message.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// A request for one completion.
public struct ChatRequest: Codable, Sendable, Equatable {
    /// The model's name as the provider knows it.
    public var model: String
    /// The conversation so far.
    public var messages: [ChatMessage]
    /// Sampling temperature.
    public var temperature: Double
    /// The most tokens the reply may have.
    public var maxTokens: Int

    /// Creates a request.
    public init(model: String, messages: [ChatMessage], temperature: Double = 0.2, maxTokens: Int = 4096) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
    }
}

/// Token counts of one call.
public struct TokenUsage: Codable, Sendable, Equatable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens in the reply.
    public var completionTokens: Int

    /// Creates a usage record.
    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// A model's reply.
public struct ChatResponse: Codable, Sendable, Equatable {
    /// The reply's text.
    public var text: String
    /// Token counts as the provider reported them (estimated when it did not).
    public var usage: TokenUsage
    /// Why the model stopped (`stop`, `length`, ...), when said.
    public var finishReason: String?
    /// The model that answered, as the provider named it.
    public var model: String?
    /// How many HTTP attempts the reply took (1 when no retry was needed).
    public var attempts: Int
    /// The reply came from a recorded run, not from the model.
    public var replayed: Bool?

    /// Creates a response.
    public init(text: String, usage: TokenUsage = TokenUsage(), finishReason: String? = nil, model: String? = nil, attempts: Int = 1) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
        self.model = model
        self.attempts = attempts
    }
}

/// Why a model call failed.
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// Credentials were refused (HTTP 401 or 403).
        public static let unauthorized = Code(name: "unauthorized")
        /// The endpoint or the model does not exist (HTTP 404).
        public static let notFound = Code(name: "not found")
        /// The request was rejected as malformed (HTTP 400, 422...).
        public static let badRequest = Code(name: "bad request")
        /// The server kept failing or could not be reached after every retry.
        public static let unavailable = Code(name: "unavailable")
        /// The answer could not be read.
        public static let badResponse = Code(name: "bad response")
        /// The call was cancelled.
        public static let cancelled = Code(name: "cancelled")
        /// The name of the kind.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, naming the endpoint and the model (never a key).
    public var message: String
    /// The HTTP status, when there was one.
    public var status: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The message.
    public var description: String { message }
}

/// The seam to a language model: one call, one reply.
///
/// Implementations: the OpenAI-compatible and Anthropic HTTP clients, the recorded model (resume), and `ScriptedModel` in the tests' TestSupport module.
public protocol ChatModel: Sendable {
    /// A short description for the record and the status line, e.g. `openai-compatible http://127.0.0.1:8080/v1`.
    var providerName: String { get }
    /// Asks for one completion. `onDelta` receives streamed text as it arrives, when streaming.
    func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse
}
