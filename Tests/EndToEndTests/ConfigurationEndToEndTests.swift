import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// Configuration precedence: flags, then environment, then the project file, then the user file.
@Suite("Configuration files, end to end")
struct ConfigurationEndToEndTests {
    let task = "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\n---\n# Mean\nWrite mean(xs); 0 when empty.\n"
    let tests = "from stats import mean\n\ndef test_mean():\n    assert mean([]) == 0\n"
    let right = "```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n```\n"

    func requestedModel(_ server: ScriptedServer) -> String? { server.requests().first?["body"]?["model"]?.stringValue }

    @Test func precedenceIsFlagsEnvironmentProjectUser() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-config")
        let configHome = try TemporaryFolder.make(prefix: "e2e-config-user")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        try TemporaryFolder.write(["selfdebug/config.yml": "model: from-user\nfeedback: simple\n"], in: configHome)
        var environment = CLI.environment(nil)
        environment["XDG_CONFIG_HOME"] = configHome

        // The user file alone.
        var server = try ScriptedServer([.reply(right)])
        environment["OPENAI_BASE_URL"] = server.baseURL
        _ = try await CLI.run(["solve", "task.md", "--out", "r1"], in: folder, environment: environment)
        #expect(requestedModel(server) == "from-user")
        #expect(try CLI.events(folder + "/r1").first?["feedback_mode"]?.stringValue == "simple")

        // The project file wins over the user file.
        try TemporaryFolder.write([".selfdebug.yml": "model: from-project\n"], in: folder)
        server = try ScriptedServer([.reply(right)])
        environment["OPENAI_BASE_URL"] = server.baseURL
        _ = try await CLI.run(["solve", "task.md", "--out", "r2"], in: folder, environment: environment)
        #expect(requestedModel(server) == "from-project")

        // The environment wins over the files.
        server = try ScriptedServer([.reply(right)])
        environment["OPENAI_BASE_URL"] = server.baseURL
        environment["SELFDEBUG_MODEL"] = "from-environment"
        _ = try await CLI.run(["solve", "task.md", "--out", "r3"], in: folder, environment: environment)
        #expect(requestedModel(server) == "from-environment")

        // A flag wins over everything.
        server = try ScriptedServer([.reply(right)])
        environment["OPENAI_BASE_URL"] = server.baseURL
        _ = try await CLI.run(["solve", "task.md", "--out", "r4", "--model", "from-flag"], in: folder, environment: environment)
        #expect(requestedModel(server) == "from-flag")
    }

    @Test func maxCostNeedsAPrice() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-cost")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        let result = try await CLI.run(["solve", "task.md", "--max-cost", "1", "--model", "unknown-model"], in: folder, environment: CLI.environment(nil))
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs the price of 'unknown-model'"))
    }

    @Test func aBudgetStopsTheRunAsUnsolvedSayingWhy() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-budget")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        let server = try ScriptedServer([.reply(right)])
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--max-tokens", "100"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 1)
        #expect(result.stderr.contains("token budget of 100"))
        #expect(server.requests().isEmpty)
        #expect(try CLI.summary(folder + "/run")["stop_reason"]?.stringValue == "budget")
    }
}

/// Examples/providers: each configuration is read and routes to the endpoint it names.
@Suite("Provider example configurations")
struct ProviderConfigurationTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Examples/providers"

    @Test(arguments: ["ollama.yml": "http://127.0.0.1:11434/v1", "vllm.yml": "http://127.0.0.1:8000/v1",
                      "lm-studio.yml": "http://127.0.0.1:1234/v1", "llama-cpp.yml": "http://127.0.0.1:8080/v1"])
    func openAICompatibleServers(file: String, endpoint: String) async throws {
        let project = try TemporaryFolder.make(prefix: "e2e-provider")
        try FileManager.default.copyItem(atPath: Self.folder + "/" + file, toPath: project + "/.selfdebug.yml")
        var environment = CLI.environment(nil)
        environment["OPENAI_API_KEY"] = nil
        let result = try await CLI.run(["doctor", "--json"], in: project, environment: environment)
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        let checks = report["checks"]?.arrayValue ?? []
        #expect(checks.first { $0["name"]?.stringValue == "config" }?["ok"]?.boolValue == true)
        // Nothing listens there in the test: the model check names that endpoint.
        let model = try #require(checks.first { $0["name"]?.stringValue == "model" })
        #expect(model["detail"]?.stringValue?.contains(endpoint) == true, "\(model)")
    }

    @Test func theScriptedServerThroughAnExampleConfiguration() async throws {
        let server = try ScriptedServer([.reply("```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n```\n")])
        let project = try TemporaryFolder.make(prefix: "e2e-provider-run")
        let config = try String(contentsOfFile: Self.folder + "/ollama.yml", encoding: .utf8)
            .replacingOccurrences(of: "http://127.0.0.1:11434/v1", with: server.baseURL)
        try TemporaryFolder.write([
            ".selfdebug.yml": config,
            "task.md": "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\n---\n# Mean\nWrite mean(xs); 0 when empty.\n",
            "test_stats.py": "from stats import mean\n\ndef test_mean():\n    assert mean([]) == 0\n",
        ], in: project)
        var environment = CLI.environment(nil)
        environment["OPENAI_API_KEY"] = nil
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: project, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requests().first?["body"]?["model"]?.stringValue == "qwen2.5-coder:7b")
    }

    @Test(arguments: ["anthropic.yml", "openai.yml"])
    func hostedProvidersParse(file: String) throws {
        let settings = try Settings.read(Self.folder + "/" + file)
        #expect(settings.provider != nil)
        #expect(settings.maxCost != nil)
        #expect(settings.price(of: settings.model ?? "", provider: settings.provider) != nil)
    }
}
