import Foundation
import SelfDebugCore
import SelfDebugModels

/// A provider of models: who answers the loop's requests.
public enum Provider: Sendable, Equatable {
    /// Any OpenAI-compatible server: OpenAI, vLLM, llama.cpp's server, Ollama's /v1, LM Studio...
    case openAICompatible
    /// Anthropic's Messages API.
    case anthropic
    /// The embedded local model (llama.cpp's server on a loopback port).
    case local
    /// A provider selfdebug does not know, as the user named it (making its model is bad input).
    case unknown(String)

    /// The provider of a name (`openai`, `openai-compatible`, `anthropic`, `local`; any case).
    public init(named name: String) {
        switch name.lowercased() {
        case "openai", "openai-compatible": self = .openAICompatible
        case "anthropic": self = .anthropic
        case "local": self = .local
        default: self = .unknown(name.lowercased())
        }
    }

    /// The name recorded and used for prices: `openai`, `anthropic`, `local`, or the unknown name.
    public var name: String {
        switch self {
        case .openAICompatible: "openai"
        case .anthropic: "anthropic"
        case .local: "local"
        case .unknown(let name): name
        }
    }
}

/// A model client and the model's name, as the provider policy chose them.
public struct ChosenModel: Sendable {
    /// The client that sends the requests.
    public var client: any ChatModel
    /// The model's name, as requests and the record carry it.
    public var name: String

    /// The client `client` asking for model `name`.
    public init(client: any ChatModel, name: String) {
        self.client = client
        self.name = name
    }
}

/// Which model answers, as the user chose it on the command line (the CLI fills it from `--model`,
/// `--provider`, `--base-url`, `--local-model`...): the provider policy of SPEC.md ("Which model
/// answers") completes it from the environment, then the project's and the user's configuration.
public struct ModelSelection: Sendable, Equatable {
    /// The model's name (`--model`), over `SELFDEBUG_MODEL` and the configuration's `model`.
    public var model: String?
    /// The provider's name (`--provider`), over `SELFDEBUG_PROVIDER` and the configuration's `provider`.
    public var provider: String?
    /// The API base (`--base-url`), over `OPENAI_BASE_URL` (or `ANTHROPIC_BASE_URL`) and the configuration's `base_url`.
    public var baseURL: String?
    /// The embedded local model (`--local-model`): `default`, `small`, or the path of a `.gguf` file.
    public var localModel: String?
    /// Seconds to wait for one request's answer.
    public var requestTimeout: Double = 300
    /// Whether replies are streamed (false: whole replies, `--no-stream`).
    public var stream = true

    /// A selection that leaves everything to the environment and the configuration.
    public init(model: String? = nil, provider: String? = nil, baseURL: String? = nil, localModel: String? = nil, requestTimeout: Double = 300, stream: Bool = true) {
        self.model = model
        self.provider = provider
        self.baseURL = baseURL
        self.localModel = localModel
        self.requestTimeout = requestTimeout
        self.stream = stream
    }

    /// The provider, by SPEC's rule: the flag, `SELFDEBUG_PROVIDER`, the configuration; else
    /// OpenAI-compatible when a base URL (flag, `OPENAI_BASE_URL` or configuration) or an OpenAI
    /// key is set; else Anthropic when its key is; else the local model.
    public func resolvedProvider(environment: [String: String], settings: Settings) -> Provider {
        if let chosen = (provider ?? environment["SELFDEBUG_PROVIDER"]).flatMap(\.nonEmpty) ?? settings.provider {
            return Provider(named: chosen)
        }
        if baseURL != nil || environment["OPENAI_BASE_URL"]?.nonEmpty != nil || environment["OPENAI_API_KEY"]?.nonEmpty != nil || settings.baseURL != nil {
            return .openAICompatible
        }
        if environment["ANTHROPIC_API_KEY"]?.nonEmpty != nil { return .anthropic }
        return .local
    }

    /// The model client and name the policy chooses. A malformed base URL, an unknown provider or
    /// a bad local model choice is bad input; an embedded model that is not installed is unavailable.
    public func makeModel(environment: [String: String], settings: Settings = Settings(), onRetry: (@Sendable (Int, Double, String) -> Void)?) throws -> ChosenModel {
        let configured = model ?? environment["SELFDEBUG_MODEL"]?.nonEmpty ?? settings.model
        switch resolvedProvider(environment: environment, settings: settings) {
        case .openAICompatible:
            let text = baseURL ?? environment["OPENAI_BASE_URL"]?.nonEmpty ?? settings.baseURL ?? "https://api.openai.com/v1"
            let authority = text.components(separatedBy: "://").dropFirst().first?.split(separator: "/", omittingEmptySubsequences: false).first ?? ""
            // A port separator with no port ("http://host:/v1") is a typo that URL parsing lets through.
            guard let url = Self.httpURL(text), !authority.hasSuffix(":") else {
                throw AppError(.badInput, "--base-url '\(text)' is not an http(s) URL; use e.g. http://127.0.0.1:8080/v1")
            }
            var configuration = OpenAICompatibleModel.Configuration(baseURL: url, apiKey: environment["OPENAI_API_KEY"]?.nonEmpty)
            configuration.stream = stream
            configuration.requestTimeout = requestTimeout
            return ChosenModel(client: OpenAICompatibleModel(configuration: configuration, onRetry: onRetry), name: configured ?? "gpt-4o-mini")
        case .anthropic:
            let text = baseURL ?? environment["ANTHROPIC_BASE_URL"]?.nonEmpty ?? settings.baseURL ?? "https://api.anthropic.com"
            guard let url = Self.httpURL(text) else {
                throw AppError(.badInput, "the Anthropic base URL '\(text)' is not an http(s) URL; use e.g. https://api.anthropic.com")
            }
            var configuration = AnthropicModel.Configuration(baseURL: url, apiKey: environment["ANTHROPIC_API_KEY"]?.nonEmpty)
            configuration.stream = stream
            configuration.requestTimeout = requestTimeout
            return ChosenModel(client: AnthropicModel(configuration: configuration, onRetry: onRetry), name: configured ?? "claude-sonnet-4-5")
        case .local:
            return try makeLocalModel(environment: environment, settings: settings, onRetry: onRetry)
        case .unknown(let name):
            throw AppError(.badInput, "unknown provider '\(name)'; use --provider openai, anthropic or local")
        }
    }

    /// `text` as a URL, when it is an http(s) URL with a host.
    private static func httpURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host?.isEmpty == false else { return nil }
        return url
    }

    /// The embedded local model, when it is installed (unavailable otherwise, with how to install it).
    private func makeLocalModel(environment: [String: String], settings: Settings, onRetry: (@Sendable (Int, Double, String) -> Void)?) throws -> ChosenModel {
        let choice: LocalModelChoice
        do {
            choice = try LocalModelChoice.resolve(flag: localModel, environment: environment, configured: settings.localModel)
        } catch let error as ModelError {
            throw AppError(.badInput, error.message)
        }
        let home = LocalModelServer.installation(environment: environment)
        let installed = FileManager.default.isExecutableFile(atPath: home + "/bin/python")
            && LocalModelWeights.size(of: choice.path(home: home)) != nil
        guard installed else {
            throw AppError(
                .unavailable,
                "no model is configured, and the embedded local model (\(choice.displayName)) is not installed in \(home). Install it with "
                    + "\(choice.installCommand) (about 5 minutes), or point selfdebug at a model: set OPENAI_BASE_URL "
                    + "(e.g. http://127.0.0.1:8080/v1 for llama.cpp's server, http://127.0.0.1:11434/v1 for Ollama) or OPENAI_API_KEY, "
                    + "or ANTHROPIC_API_KEY.")
        }
        return ChosenModel(client: LocalModel(choice: choice, onRetry: onRetry), name: model ?? choice.alias)
    }
}

extension String {
    /// The string, or nil when it is empty (an empty variable counts as unset).
    var nonEmpty: String? { isEmpty ? nil : self }
}
