import Foundation

/// Asking the model: the temperature of the turn, the request fitted to the context and the budget,
/// and one shorter request more when the server still finds it too long.
extension EngineerLoop {
    /// Asks the model for the turn's reply: counts the call and its tokens, records it, and adds
    /// the reply to the conversation. Returns the reply's text.
    func ask(_ state: inout RunState) async throws -> String {
        let temperature = temperature(for: state)
        state.freshSample = false
        var shrink = 1.0
        while true {
            let request = try plannedRequest(state, temperature: temperature, shrink: shrink)
            let asked = clock.now()
            guard let response = try await call(request, shrink: &shrink, iteration: state.iteration) else { continue }
            let latency = clock.now().timeIntervalSince(asked)
            state.llmCalls += 1
            state.llmSeconds += latency
            state.promptTokens += response.usage.promptTokens
            state.completionTokens += response.usage.completionTokens
            try record(.llmResponse(.init(response, latencySeconds: latency)), state.iteration)
            state.messages.append(ChatMessage(role: .assistant, content: response.text))
            return response.text
        }
    }

    /// Resample: every sample after the first at the resample temperature (and so a debug run's
    /// fresh sample after a failure that shows nothing). Debug: repairs at `repairTemperature`
    /// when set (in the `fresh` conversation, the resample temperature when not), else the base
    /// temperature raised for each fresh attempt (to get a different answer); a re-ask after a
    /// repeated version adds its nudge, and a fresh repair after the same failure twice is raised
    /// as a fresh attempt is (the model's usual answer is the wrong one). Never above 1.
    func temperature(for state: RunState) -> Double {
        if configuration.strategy == .resample && state.iteration > 1 || state.freshSample { return configuration.resampleTemperature }
        if state.iteration > 1, let repair = configuration.repairTemperature ?? (freshRepairs(state) ? configuration.resampleTemperature : nil) {
            // (Failure reports are kept only for fresh repairs.)
            let stuck = state.latestFailureRepeated ? configuration.restartTemperatureStep : 0
            return min(1.0, state.nudge + repair + stuck)
        }
        return min(1.0, state.nudge + configuration.temperature + Double(state.history.restarts) * configuration.restartTemperatureStep)
    }

    /// The conversation as a request that fits the context (`shrink`: the part of it still trusted)
    /// and the budget, recorded as `llm_request`. Over budget or context, the run ends.
    func plannedRequest(_ state: RunState, temperature: Double, shrink: Double) throws -> ChatRequest {
        switch RequestPlanner(configuration: configuration).plan(
            state.messages, temperature: temperature, spentPrompt: state.promptTokens, spentCompletion: state.completionTokens,
            context: shrink, secrets: secrets) {
        case .ready(let plan):
            try record(.llmRequest(.init(
                plan.request, droppedMessages: plan.dropped, estimatedPromptTokens: plan.estimatedPromptTokens, redactions: plan.redactions)),
                state.iteration)
            return plan.request
        case .overBudget(let reason): throw BudgetExhausted(reason: reason)
        case .overContext(let reason): throw ModelError(.badRequest, reason)
        }
    }

    /// One model call; nil when the server said the request was too long for it, and then the
    /// context is halved (`shrink`) and recorded, for a shorter request.
    func call(_ request: ChatRequest, shrink: inout Double, iteration: Int) async throws -> ChatResponse? {
        do {
            return try await callModel(request)
        } catch let error as ModelError where error.code == .badRequest && shrink > 0.3 && Self.saysContextTooLong(error.message) {
            // The server counts differently: shorten harder and ask again.
            shrink /= 2
            try record(.contextExceeded(.init(message: error.message, shrink: shrink)), iteration)
            return nil
        }
    }

    /// The model's answer; any failure but a ``ModelError`` or a cancellation becomes a bad response.
    func callModel(_ request: ChatRequest) async throws -> ChatResponse {
        do {
            return try await model.complete(request, onDelta: nil)
        } catch let error as ModelError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ModelError(.badResponse, "the model call failed: \(error)")
        }
    }

    /// Whether a provider's error says the request was longer than the model's context.
    static func saysContextTooLong(_ message: String) -> Bool {
        let lower = message.lowercased()
        return ["context_length", "context length", "maximum context", "too many tokens", "prompt is too long", "exceeds the context", "n_ctx"]
            .contains { lower.contains($0) }
    }

    /// Drops the oldest exchanges (never the system message, the task, or the latest two
    /// messages) until the conversation fits `budget` characters.
    static func shortened(_ messages: [ChatMessage], budget: Int) -> [ChatMessage] {
        var kept = messages
        func size() -> Int { kept.reduce(0) { $0 + $1.content.count } }
        while size() > budget, kept.count > 4 {
            kept.removeSubrange(2..<4)
        }
        return kept
    }
}
