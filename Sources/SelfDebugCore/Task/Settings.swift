import Foundation
import Yams

/// Settings from configuration files: a project file (`.selfdebug.yml` in the current folder)
/// over a user file (`$XDG_CONFIG_HOME/selfdebug/config.yml`, else `~/.config/selfdebug/config.yml`).
/// Flags and environment variables win over both.
public struct Settings: Sendable, Equatable {
    public var provider: String?
    public var model: String?
    public var baseURL: String?
    public var maxIterations: Int?
    public var timeout: Double?
    public var feedback: String?
    public var maxTokens: Int?
    public var maxCost: Double?
    public var contextTokens: Int?
    /// The embedded local model: `small`, `default`, or the path of a `.gguf` file (`local_model`).
    public var localModel: String?
    /// Model prices (USD per million tokens), over the built-in table.
    public var prices: [String: ModelPrice] = [:]
    /// The files read, in order of precedence (highest first).
    public var sources: [String] = []

    /// The keys a configuration file may have.
    public static let keys = ["provider", "model", "base_url", "max_iterations", "timeout", "feedback", "max_tokens", "max_cost", "context_tokens", "local_model", "prices"]

    /// Creates empty settings.
    public init() {}

    /// The user's file path.
    public static func userFile(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("selfdebug/config.yml")
    }

    /// The project file and the user file merged (project first); a bad file is an error naming it.
    public static func load(projectFolder: String = FileManager.default.currentDirectoryPath, environment: [String: String]) throws -> Settings {
        var settings = Settings()
        for path in [(projectFolder as NSString).appendingPathComponent(".selfdebug.yml"), userFile(environment: environment)]
        where FileManager.default.fileExists(atPath: path) {
            settings.fill(from: try read(path))
            settings.sources.append(path)
        }
        return settings
    }

    /// Fills what is still unset from `other` (lower precedence).
    mutating func fill(from other: Settings) {
        provider = provider ?? other.provider
        model = model ?? other.model
        baseURL = baseURL ?? other.baseURL
        maxIterations = maxIterations ?? other.maxIterations
        timeout = timeout ?? other.timeout
        feedback = feedback ?? other.feedback
        maxTokens = maxTokens ?? other.maxTokens
        maxCost = maxCost ?? other.maxCost
        contextTokens = contextTokens ?? other.contextTokens
        localModel = localModel ?? other.localModel
        prices = prices.merging(other.prices) { mine, _ in mine }
    }

    /// One file.
    public static func read(_ path: String) throws -> Settings {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TaskFileError(path: path, message: "cannot read the configuration file", hint: "check its permissions")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw TaskFileError(path: path, message: "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")", hint: "write one 'key: value' per line")
        }
        guard let mapping = node?.mapping else {
            if node == nil { return Settings() }
            throw TaskFileError(path: path, message: "the configuration must be 'key: value' lines", hint: "e.g. 'model: gpt-4o-mini'")
        }
        var settings = Settings()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            func bad(_ what: String) -> TaskFileError {
                TaskFileError(path: path, line: line, message: "'\(key)' must be \(what)", hint: "see README.md, Configuration")
            }
            switch key {
            case "provider": settings.provider = value.string
            case "model": settings.model = value.string
            case "base_url": settings.baseURL = value.string
            case "feedback":
                guard let text = value.string, FeedbackMode(rawValue: text) != nil else { throw bad("simple, tests, explain or trace") }
                settings.feedback = text
            case "max_iterations":
                guard let number = value.int, number >= 1 else { throw bad("a whole number of at least 1") }
                settings.maxIterations = number
            case "timeout":
                guard let number = Self.number(value), number > 0 else { throw bad("a positive number of seconds") }
                settings.timeout = number
            case "max_tokens":
                guard let number = value.int, number >= 1 else { throw bad("a whole number of tokens") }
                settings.maxTokens = number
            case "max_cost":
                guard let number = Self.number(value), number > 0 else { throw bad("a positive number of US dollars") }
                settings.maxCost = number
            case "context_tokens":
                guard let number = value.int, number >= 512 else { throw bad("a whole number of tokens, at least 512") }
                settings.contextTokens = number
            case "local_model":
                guard let text = value.string, ["small", "default"].contains(text.lowercased()) || text.lowercased().hasSuffix(".gguf") else {
                    throw bad("small, default, or the path of a .gguf file")
                }
                settings.localModel = text
            case "prices":
                guard let models = value.mapping else { throw bad("a map of model name to {input, output} dollars per million tokens") }
                for (name, price) in models {
                    guard let model = name.string, let input = price["input"].flatMap(Self.number),
                          let output = price["output"].flatMap(Self.number) else {
                        throw bad("a map of model name to {input, output} dollars per million tokens")
                    }
                    settings.prices[model] = ModelPrice(inputPerMillion: input, outputPerMillion: output)
                }
            default:
                throw TaskFileError(path: path, line: line, message: "unknown key '\(key)'", hint: "the keys are " + keys.joined(separator: ", "))
            }
        }
        return settings
    }

    /// A YAML number, written with or without a decimal point.
    static func number(_ node: Node) -> Double? { node.float ?? node.int.map(Double.init) }

    /// The price of `model`: the configuration's, else the built-in table's; zero for the local model.
    public func price(of model: String, provider: String?) -> ModelPrice? {
        if provider == "local" { return ModelPrice(inputPerMillion: 0, outputPerMillion: 0) }
        return prices[model] ?? ModelPrice.known[model]
    }
}
