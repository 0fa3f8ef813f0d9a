import Foundation

/// Prepares each model request: fits the conversation into the model's context (dropping the
/// oldest turns, never the task or the latest feedback), redacts secrets, and keeps the run inside
/// its token and cost budgets by checking the worst case the call could cost (its prompt and its
/// full `max_tokens`) before making it.
struct RequestPlanner {
    let configuration: EngineerLoop.Configuration

    /// The smallest reply worth asking for.
    static let minimumReply = 256

    struct Plan {
        var request: ChatRequest
        var dropped: Int
        var redactions: [Redaction]
        var estimatedPromptTokens: Int
    }

    enum Outcome {
        case ready(Plan)
        /// The budget cannot pay for another call; the reason in words.
        case overBudget(String)
        /// Even the task alone does not fit the model's context.
        case overContext(String)
    }

    /// Tokens of `text`, estimated on the safe side (about three characters a token).
    static func tokens(_ text: String) -> Int { text.utf8.count / 3 + 1 }

    static func tokens(_ messages: [ChatMessage]) -> Int { messages.reduce(0) { $0 + tokens($1.content) + 4 } }

    /// The cost in US dollars of the given tokens at the configured prices, or nil without prices.
    func cost(prompt: Int, completion: Int) -> Double? {
        configuration.price.map { Double(prompt) * $0.inputPerMillion / 1e6 + Double(completion) * $0.outputPerMillion / 1e6 }
    }

    /// `context` shrinks the context budget (after a server said the request was too long).
    /// `secrets` decides what is redacted (by default: every secret the ``Redactor`` recognises).
    func plan(_ messages: [ChatMessage], temperature: Double, spentPrompt: Int, spentCompletion: Int, context shrink: Double = 1,
              secrets: SecretScope? = nil) -> Outcome {
        var maxTokens = configuration.maxTokens
        let context = Int(Double(configuration.contextTokens) * shrink)
        // 1. Context: leave room for the reply; drop old turns when the conversation is longer.
        maxTokens = min(maxTokens, max(Self.minimumReply, context / 2))
        var kept = EngineerLoop.shortened(messages, budget: max(1000, (context - maxTokens) * 3))
        var prompt = Self.tokens(kept)
        if prompt + maxTokens > context {
            maxTokens = max(Self.minimumReply, context - prompt)
            kept = EngineerLoop.shortened(messages, budget: max(1000, (context - maxTokens) * 3))
            prompt = Self.tokens(kept)
        }
        if prompt + Self.minimumReply > context {
            return .overContext("the request needs about \(prompt) tokens, more than the model's context of \(context) tokens even after dropping earlier turns; "
                + "use a model with a larger context (--context-tokens) or a shorter task")
        }
        // 2. Secrets never leave the machine.
        var redactions: [Redaction] = []
        if configuration.redactSecrets {
            (kept, redactions) = secrets?.redact(kept) ?? Redactor().redact(kept)
        }
        // 3. Budgets: the worst case is this prompt plus a full reply.
        if let cap = configuration.maxTotalTokens {
            let left = cap - spentPrompt - spentCompletion - prompt
            if left < Self.minimumReply {
                return .overBudget("the token budget of \(cap) would be exceeded: \(spentPrompt + spentCompletion) spent, the next call needs about \(prompt) prompt tokens plus its reply")
            }
            maxTokens = min(maxTokens, left)
        }
        if let cap = configuration.maxCostUSD, let price = configuration.price, let spent = cost(prompt: spentPrompt, completion: spentCompletion) {
            let afterPrompt = cap - spent - Double(prompt) * price.inputPerMillion / 1e6
            let affordable = price.outputPerMillion > 0 ? Int(afterPrompt / (price.outputPerMillion / 1e6)) : Int.max
            if affordable < Self.minimumReply {
                return .overBudget(String(format: "the cost budget of $%.2f would be exceeded: $%.4f spent, the next call could cost up to $%.4f",
                                          cap, spent, Double(prompt) * price.inputPerMillion / 1e6 + Double(maxTokens) * price.outputPerMillion / 1e6))
            }
            maxTokens = min(maxTokens, affordable)
        }
        let request = ChatRequest(model: configuration.model, messages: kept, temperature: temperature, maxTokens: maxTokens)
        return .ready(Plan(request: request, dropped: messages.count - kept.count, redactions: redactions, estimatedPromptTokens: prompt))
    }
}

/// A model's price in US dollars per million tokens.
public struct ModelPrice: Sendable, Codable, Equatable {
    /// Dollars per million prompt tokens.
    public var inputPerMillion: Double
    /// Dollars per million completion tokens.
    public var outputPerMillion: Double

    /// Creates a price.
    public init(inputPerMillion: Double, outputPerMillion: Double) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// Prices of well-known models (USD per million tokens; override in the config's `prices`).
    public static let known: [String: ModelPrice] = [
        "gpt-4o": ModelPrice(inputPerMillion: 2.5, outputPerMillion: 10),
        "gpt-4o-mini": ModelPrice(inputPerMillion: 0.15, outputPerMillion: 0.6),
        "gpt-4.1": ModelPrice(inputPerMillion: 2, outputPerMillion: 8),
        "gpt-4.1-mini": ModelPrice(inputPerMillion: 0.4, outputPerMillion: 1.6),
        "o4-mini": ModelPrice(inputPerMillion: 1.1, outputPerMillion: 4.4),
        "claude-sonnet-4-5": ModelPrice(inputPerMillion: 3, outputPerMillion: 15),
        "claude-opus-4-1": ModelPrice(inputPerMillion: 15, outputPerMillion: 75),
        "claude-haiku-4-5": ModelPrice(inputPerMillion: 1, outputPerMillion: 5),
        "claude-3-5-haiku-latest": ModelPrice(inputPerMillion: 0.8, outputPerMillion: 4),
    ]
}
