import Foundation

/// One request's timings as llama.cpp prints them in its log (`llama_perf_context_print` lines,
/// and llama-cpp-python's `prefix-match hit` line): what the server itself spent, without HTTP.
public struct LlamaTimings: Sendable, Equatable {
    /// Prompt tokens a previous request had already evaluated (reused from the cache), when logged.
    public var cachedPromptTokens: Int?
    /// Prompt tokens evaluated for this request.
    public var promptTokens: Int?
    /// Milliseconds spent evaluating them.
    public var promptMilliseconds: Double?
    /// Tokens generated (llama.cpp counts "runs").
    public var generatedTokens: Int?
    /// Milliseconds spent generating them.
    public var generationMilliseconds: Double?

    /// Prompt tokens per second, when both numbers are known.
    public var promptRate: Double? {
        guard let promptTokens, let promptMilliseconds, promptMilliseconds > 0 else { return nil }
        return Double(promptTokens) / promptMilliseconds * 1000
    }

    /// Generated tokens per second, when both numbers are known.
    public var generationRate: Double? {
        guard let generatedTokens, let generationMilliseconds, generationMilliseconds > 0 else { return nil }
        return Double(generatedTokens) / generationMilliseconds * 1000
    }

    /// Creates timings.
    public init(cachedPromptTokens: Int? = nil, promptTokens: Int? = nil, promptMilliseconds: Double? = nil,
                generatedTokens: Int? = nil, generationMilliseconds: Double? = nil) {
        self.cachedPromptTokens = cachedPromptTokens
        self.promptTokens = promptTokens
        self.promptMilliseconds = promptMilliseconds
        self.generatedTokens = generatedTokens
        self.generationMilliseconds = generationMilliseconds
    }

    /// Every request's timings in a server log, in order. A request ends at its `eval time` line.
    public static func parse(_ log: String) -> [LlamaTimings] {
        var all: [LlamaTimings] = []
        var current = LlamaTimings()
        for line in log.split(separator: "\n") {
            if line.contains("prefix-match hit") {
                // "Llama.generate: 812 prefix-match hit, remaining 95 prompt tokens to eval"
                current.cachedPromptTokens = numbers(in: line).first.map { Int($0) }
            } else if line.contains("prompt eval time") {
                let values = numbers(in: line.split(separator: "=", maxSplits: 1).last ?? "")
                if values.count >= 2 { (current.promptMilliseconds, current.promptTokens) = (values[0], Int(values[1])) }
            } else if line.contains(" eval time") {
                let values = numbers(in: line.split(separator: "=", maxSplits: 1).last ?? "")
                if values.count >= 2 { (current.generationMilliseconds, current.generatedTokens) = (values[0], Int(values[1])) }
                all.append(current)
                current = LlamaTimings()
            }
        }
        return all
    }

    /// The decimal numbers in `text`, in order.
    static func numbers(in text: Substring) -> [Double] {
        text.split(whereSeparator: { !($0.isNumber || $0 == ".") }).compactMap { Double($0) }
    }
}
