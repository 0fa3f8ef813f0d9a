import Foundation
import Testing
import SelfDebugApp
import SelfDebugCore
import SelfDebugModels
import TestSupport

/// Which model answers (SPEC "Which model answers"): flags, then the environment, then the
/// project's configuration file, then the user's.
@Suite("Provider policy")
struct ProviderPolicyTests {
    static func settings(provider: String? = nil, model: String? = nil, baseURL: String? = nil) -> Settings {
        var settings = Settings()
        settings.provider = provider
        settings.model = model
        settings.baseURL = baseURL
        return settings
    }

    static func provider(_ selection: ModelSelection = ModelSelection(), _ environment: [String: String] = [:], _ settings: Settings = Settings()) -> Provider {
        selection.resolvedProvider(environment: environment, settings: settings)
    }

    @Test func theFlagWinsOverTheEnvironmentAndTheConfiguration() {
        let environment = ["SELFDEBUG_PROVIDER": "local", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "ANTHROPIC_API_KEY": "k"]
        #expect(Self.provider(ModelSelection(provider: "anthropic"), environment, Self.settings(provider: "openai")) == .anthropic)
    }

    @Test func theEnvironmentWinsOverTheConfiguration() {
        #expect(Self.provider(ModelSelection(), ["SELFDEBUG_PROVIDER": "Anthropic"], Self.settings(provider: "local")) == .anthropic)
        // An empty variable is unset: the configuration decides.
        #expect(Self.provider(ModelSelection(), ["SELFDEBUG_PROVIDER": ""], Self.settings(provider: "local")) == .local)
    }

    @Test func theConfigurationNamesTheProviderWhenNothingElseDoes() {
        #expect(Self.provider(ModelSelection(), ["OPENAI_API_KEY": "sk-test"], Self.settings(provider: "local")) == .local)
        #expect(Self.provider(ModelSelection(), [:], Self.settings(provider: "openai-compatible")) == .openAICompatible)
    }

    @Test func aBaseURLOrAnOpenAIKeyMeansTheOpenAICompatibleProvider() {
        #expect(Self.provider(ModelSelection(baseURL: "http://127.0.0.1:8080/v1")) == .openAICompatible)
        #expect(Self.provider(ModelSelection(), ["OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "ANTHROPIC_API_KEY": "k"]) == .openAICompatible)
        #expect(Self.provider(ModelSelection(), ["OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "k"]) == .openAICompatible)
        #expect(Self.provider(ModelSelection(), [:], Self.settings(baseURL: "http://127.0.0.1:8080/v1")) == .openAICompatible)
    }

    @Test func anAnthropicKeyAloneMeansAnthropicAndNothingMeansTheLocalModel() {
        #expect(Self.provider(ModelSelection(), ["ANTHROPIC_API_KEY": "k", "OPENAI_API_KEY": ""]) == .anthropic)
        #expect(Self.provider(ModelSelection(), ["OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""]) == .local)
        #expect(Self.provider() == .local)
    }

    @Test func providerNamesAreReadAsTheRecordWritesThem() {
        #expect(Provider(named: "OpenAI") == .openAICompatible)
        #expect(Provider(named: "openai-compatible").name == "openai")
        #expect(Provider(named: "local").name == "local")
        #expect(Provider(named: "Ollama") == .unknown("ollama"))
    }

    @Test func theModelNameComesFromTheFlagThenTheEnvironmentThenTheConfiguration() throws {
        let base = ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"]
        let configured = Self.settings(model: "from-config")
        #expect(try ModelSelection(model: "from-flag").makeModel(environment: base.merging(["SELFDEBUG_MODEL": "from-env"]) { a, _ in a }, settings: configured, onRetry: nil).name == "from-flag")
        #expect(try ModelSelection().makeModel(environment: base.merging(["SELFDEBUG_MODEL": "from-env"]) { a, _ in a }, settings: configured, onRetry: nil).name == "from-env")
        #expect(try ModelSelection().makeModel(environment: base, settings: configured, onRetry: nil).name == "from-config")
        #expect(try ModelSelection().makeModel(environment: base, onRetry: nil).name == "gpt-4o-mini")
        #expect(try ModelSelection().makeModel(environment: ["ANTHROPIC_API_KEY": "k"], onRetry: nil).name == "claude-sonnet-4-5")
    }

    @Test func theBaseURLComesFromTheFlagThenTheEnvironmentThenTheConfiguration() throws {
        let configured = Self.settings(baseURL: "http://127.0.0.1:3/v1")
        let environment = ["OPENAI_BASE_URL": "http://127.0.0.1:2/v1"]
        #expect(try ModelSelection(baseURL: "http://127.0.0.1:1/v1").makeModel(environment: environment, settings: configured, onRetry: nil).client.providerName
            == "openai-compatible http://127.0.0.1:1/v1")
        #expect(try ModelSelection().makeModel(environment: environment, settings: configured, onRetry: nil).client.providerName == "openai-compatible http://127.0.0.1:2/v1")
        #expect(try ModelSelection().makeModel(environment: [:], settings: configured, onRetry: nil).client.providerName == "openai-compatible http://127.0.0.1:3/v1")
        #expect(try ModelSelection().makeModel(environment: ["OPENAI_API_KEY": "sk-test"], onRetry: nil).client.providerName == "openai-compatible https://api.openai.com/v1")
    }

    @Test func aMalformedBaseURLOrAnUnknownProviderIsBadInput() {
        for url in ["127.0.0.1:8080/v1", "ftp://host/v1", "http://host:/v1"] {
            #expect(throws: AppError(.badInput, "--base-url '\(url)' is not an http(s) URL; use e.g. http://127.0.0.1:8080/v1")) {
                try ModelSelection(baseURL: url).makeModel(environment: [:], onRetry: nil)
            }
        }
        #expect(throws: AppError(.badInput, "unknown provider 'ollama'; use --provider openai, anthropic or local")) {
            try ModelSelection(provider: "ollama").makeModel(environment: [:], onRetry: nil)
        }
    }

    @Test func aLocalModelThatIsNotInstalledIsUnavailableAndSaysHowToInstallIt() throws {
        let home = try TemporaryFolder.make(prefix: "no-local-model")
        do {
            _ = try ModelSelection().makeModel(environment: ["SELFDEBUG_LOCAL_MODEL_HOME": home], onRetry: nil)
            Issue.record("a model was made without an installed local model")
        } catch let error as AppError {
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("is not installed in \(home)"))
            #expect(error.description.contains("OPENAI_BASE_URL"))
            #expect(ExitStatus(for: error) == .unavailable)
        }
    }

    @Test(.timeLimit(.minutes(1))) func theChosenModelIsTheOneThatAnswers() async throws {
        let server = try ScriptedServer([.reply("from the scripted server")])
        let chosen = try ModelSelection(stream: false).makeModel(environment: ["OPENAI_BASE_URL": server.baseURL], settings: Self.settings(model: "scripted"), onRetry: nil)
        let reply = try await chosen.client.complete(ChatRequest(model: chosen.name, messages: [ChatMessage(role: .user, content: "write f")], maxTokens: 50), onDelta: nil)
        #expect(reply.text == "from the scripted server")
        #expect(server.requests().first?["body"]?["model"]?.stringValue == "scripted")
    }
}
