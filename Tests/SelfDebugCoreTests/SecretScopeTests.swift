import Foundation
import Testing
@testable import SelfDebugCore
import TestSupport

/// Redaction keeps outside secrets from the model and the record, and never rewrites the task's or
/// the model's own text.
@Suite("Secret scope: what is redacted, and placeholders mapped back")
struct SecretScopeTests {
    static let envKey = "sk-proj-ENVSECRETabcdefghijklmnop0123"
    static let passes = ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "t", outcome: .passed)])
    static let fails = ExecOutcome(verdict: .testsFailed, tests: [TestCaseResult(name: "t", outcome: .failed, message: "assert login() is True")])

    @Test func theModelsOwnLiteralSurvivesRoundTrips() async throws {
        let task = TaskSpec(language: .python, solutionFiles: ["auth.py"], tests: ["test_auth.py": "from auth import login\n\ndef test_login():\n    assert login('hunter22')\n"],
                            maxIterations: 2, body: "Write login(pw) that accepts the password hunter22.")
        let first = "auth.py\n```python\npassword = \"hunter22\"\n\ndef login(pw):\n    return False\n```\n"
        let second = "auth.py\n<<<<<<< SEARCH\npassword = \"hunter22\"\n\ndef login(pw):\n    return False\n=======\npassword = \"hunter22\"\n\ndef login(pw):\n    return pw == password\n>>>>>>> REPLACE\n"
        let model = ScriptedModel(replies: [first, second])
        let executor = ScriptedExecutor { request in request.files["auth.py"]?.contains("pw == password") == true ? Self.passes : Self.fails }
        let result = try await EngineerLoop(task: task, configuration: .init(model: "m", maxIterations: 2), model: model, executor: executor,
                                            recorder: MemoryRecorder(), clock: ManualClock()).run()
        #expect(result.summary.status == .solved)
        #expect(result.files["auth.py"]?.contains("password = \"hunter22\"") == true)
        // What the model sees of its own code and of the task's tests is what was written.
        let seen = model.requests[1].messages.map(\.content).joined()
        #expect(seen.contains("password = \"hunter22\""))
        #expect(seen.contains("assert login('hunter22')"))
        #expect(!seen.contains("[REDACTED"))
    }

    @Test func anEnvironmentKeyInAProjectFileIsRedactedAndAnEditAcrossItKeepsTheRealValue() async throws {
        var task = TaskSpec(language: .python, solutionFiles: [], tests: ["tests/test_client.py": "from client import timeout\n"], maxIterations: 1,
                            body: "Fix it. client.py:\nAPI_KEY = \"\(Self.envKey)\"\nTIMEOUT = 0\n",
                            startingFiles: ["client.py": "API_KEY = \"\(Self.envKey)\"\nTIMEOUT = 0\n"])
        task.testCommand = "pytest -q"
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: 1)
        configuration.outsideSecrets = SecretScope.outsideSecrets(environment: ["OPENAI_API_KEY": Self.envKey, "HOME": "/root"])
        // The model copies the placeholder it was shown into its SEARCH and REPLACE text.
        let model = ScriptedModel(replies: [
            "client.py\n<<<<<<< SEARCH\nAPI_KEY = \"[REDACTED OPENAI_API_KEY]\"\nTIMEOUT = 0\n=======\nAPI_KEY = \"[REDACTED OPENAI_API_KEY]\"\nTIMEOUT = 30\n>>>>>>> REPLACE\n",
        ])
        let executor = ScriptedExecutor { request in request.files["client.py"]?.contains("TIMEOUT = 30") == true ? Self.passes : Self.fails }
        let recorder = MemoryRecorder()
        let result = try await EngineerLoop(task: task, configuration: configuration, model: model, executor: executor,
                                            recorder: recorder, clock: ManualClock()).run()
        let sent = model.requests[0].messages.map(\.content).joined()
        #expect(!sent.contains(Self.envKey))
        #expect(sent.contains("API_KEY = \"[REDACTED OPENAI_API_KEY]\""))
        #expect(result.summary.status == .solved)
        #expect(result.files["client.py"] == "API_KEY = \"\(Self.envKey)\"\nTIMEOUT = 30\n")
        // The record never holds the environment's value.
        #expect(!recorder.events.map(\.jsonLine).joined().contains(Self.envKey))
    }

    @Test func anOutsideSecretIsRedactedEvenInTheTask() {
        var task = TaskSpec(language: .python, solutionFiles: ["a.py"], tests: [:], body: "Call the API with key abcdefgh12345678.")
        task.programTests = "assert True\n"
        let scope = SecretScope(task: task, outsideSecrets: ["abcdefgh12345678": "SERVICE_TOKEN"])
        #expect(scope.redact(task.body).text == "Call the API with key [REDACTED SERVICE_TOKEN].")
    }

    @Test func eachSecretHasItsOwnPlaceholderForTheRunAndMapsBack() {
        var task = TaskSpec(language: .python, solutionFiles: [], tests: [:], body: "")
        task.testCommand = "pytest -q"
        let scope = SecretScope(task: task, outsideSecrets: [:])
        let text = "a = ghp_\(String(repeating: "a", count: 36))\nb = ghp_\(String(repeating: "b", count: 36))\nc = ghp_\(String(repeating: "a", count: 36))\n"
        let (redacted, found) = scope.redact(text)
        #expect(redacted == "a = [REDACTED github token]\nb = [REDACTED github token #2]\nc = [REDACTED github token]\n")
        #expect(found["github token"] == 3)
        #expect(scope.restore(redacted) == text)
        #expect(scope.redact(text).text == redacted)  // stable across calls
    }

    @Test func theEnvironmentsSecretValuesAreTheKeysAndTokens() {
        let secrets = SecretScope.outsideSecrets(environment: [
            "OPENAI_API_KEY": "sk-abcdefghijklmnopqrstuvwxyz", "GITHUB_TOKEN": "ghp_whatever12345", "DB_PASSWORD": "correct-horse",
            "HOME": "/home/someone", "PATH": "/usr/bin:/bin", "SHORT_KEY": "abc", "UNNAMED": "AKIAABCDEFGHIJKLMNOP",
        ])
        #expect(secrets == ["sk-abcdefghijklmnopqrstuvwxyz": "OPENAI_API_KEY", "ghp_whatever12345": "GITHUB_TOKEN",
                            "correct-horse": "DB_PASSWORD", "AKIAABCDEFGHIJKLMNOP": "UNNAMED"])
    }
}
