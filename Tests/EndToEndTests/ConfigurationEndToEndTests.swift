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
