import Foundation
import SelfDebugCore

/// A model that answers from a script, for tests and replays: no network.
public final class ScriptedModel: ChatModel, @unchecked Sendable {
    /// One scripted answer: a reply, or an error to throw.
    public enum Step: Sendable {
        case reply(String)
        case fail(ModelError)
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var seen: [ChatRequest] = []
    /// The provider name reported to the record.
    public let providerName: String

    /// Creates a model that answers with `replies` in order.
    public convenience init(replies: [String]) {
        self.init(steps: replies.map(Step.reply))
    }

    /// Creates a model that plays `steps` in order; when they run out it throws `unavailable`.
    public init(steps: [Step], providerName: String = "scripted") {
        self.steps = steps
        self.providerName = providerName
    }

    /// The requests received so far.
    public var requests: [ChatRequest] { lock.withLock { seen } }

    /// Plays the next step.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let step: Step? = lock.withLock {
            seen.append(request)
            return steps.isEmpty ? nil : steps.removeFirst()
        }
        switch step {
        case .reply(let text):
            onDelta?(text)
            let prompt = request.messages.reduce(0) { $0 + $1.content.count } / 4
            return ChatResponse(text: text, usage: TokenUsage(promptTokens: prompt, completionTokens: text.count / 4), finishReason: "stop", model: request.model)
        case .fail(let error):
            throw error
        case nil:
            throw ModelError(.unavailable, "the scripted model has no more replies")
        }
    }
}

/// An executor that answers from a closure, for testing the loop without processes.
public struct ScriptedExecutor: Executor {
    let handler: @Sendable (ExecRequest) async throws -> ExecOutcome
    /// Says it is scripted.
    public var description: String { "scripted executor (no processes)" }

    /// Creates an executor that answers each request with `handler`.
    public init(_ handler: @escaping @Sendable (ExecRequest) async throws -> ExecOutcome) {
        self.handler = handler
    }

    /// Calls the handler.
    public func run(_ request: ExecRequest) async throws -> ExecOutcome {
        try await handler(request)
    }
}
