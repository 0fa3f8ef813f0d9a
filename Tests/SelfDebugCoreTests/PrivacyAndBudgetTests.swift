import Foundation
import Testing
@testable import SelfDebugCore
import TestSupport

@Suite("What leaves the machine: redaction")
struct RedactorTests {
    @Test func replacesSecretsOfTheCommonKinds() {
        let text = """
        OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123
        anthropic = "sk-ant-api03-abcdefghijklmnop"
        token: ghp_abcdefghijklmnopqrstuvwxyz0123456789
        aws_access_key_id = AKIAABCDEFGHIJKLMNOP
        export DB_PASSWORD='hunter2hunter2'
        api_key = "zzzzzzzzzzzz"
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAA
        -----END OPENSSH PRIVATE KEY-----
        max_tokens = 4096
        let token = makeToken()
        """
        let (clean, found) = Redactor().redact(text)
        for secret in ["sk-proj-abcdefghij", "sk-ant-api03", "ghp_abcdefghij", "AKIAABCDEFGHIJKLMNOP", "hunter2hunter2", "zzzzzzzzzzzz", "b3BlbnNzaC1rZXktdjEAAAAA"] {
            #expect(!clean.contains(secret), "\(secret) leaked")
        }
        #expect(clean.contains("DB_PASSWORD='[REDACTED]'"))
        #expect(clean.contains("max_tokens = 4096"))
        #expect(clean.contains("let token = makeToken()"))
        #expect(found["private key"] == 1)
        #expect(found["github token"] == 1)
        #expect(found["aws access key"] == 1)
    }

    @Test func theLoopSendsAndRecordsOnlyRedactedText() async throws {
        // The task's own literals are the task's (sent as written); the environment's values and the
        // keys in text the task did not give (here: the test output) are not.
        let task = TaskSpec(language: .python, solutionFiles: ["app.py"], tests: ["test_app.py": "KEY = 'sk-live-abcdefghijklmnopqrstuvwx'\n"],
                            maxIterations: 2, body: "Use SERVICE_TOKEN=abcdef123456 to call the service.")
        let model = ScriptedModel(replies: ["```python\nx = 1\n```", "```python\nx = 2\n```"])
        let recorder = MemoryRecorder()
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: 2)
        configuration.outsideSecrets = ["abcdef123456": "SERVICE_TOKEN"]
        let leaked = "ghp_" + String(repeating: "x", count: 36)
        _ = try await EngineerLoop(task: task, configuration: configuration, model: model,
                                   executor: ScriptedExecutor { request in request.files["app.py"]?.contains("x = 2") == true
                                       ? ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "t", outcome: .passed)])
                                       : ExecOutcome(verdict: .testsFailed, tests: [TestCaseResult(name: "t", outcome: .failed, message: "token \(leaked) refused")]) },
                                   recorder: recorder, clock: ManualClock()).run()
        let sent = model.requests.flatMap(\.messages).map(\.content).joined()
        #expect(!sent.contains("abcdef123456"))
        #expect(sent.contains("SERVICE_TOKEN=[REDACTED SERVICE_TOKEN]"))
        #expect(sent.contains("sk-live-abcdefghijklmnopqrstuvwx"))
        #expect(!sent.contains(leaked))
        let request = try #require(recorder.events.first { $0.type == "llm_request" })
        let redactions = request.llmRequest?.redactions ?? []
        #expect(!redactions.isEmpty)
        #expect(redactions.allSatisfy { $0.message == 1 && !$0.kind.isEmpty })
        #expect(!recorder.events.map(\.jsonLine).joined().contains("abcdef123456"))
        #expect(!recorder.events.filter { $0.type == "feedback" }.map(\.jsonLine).joined().contains(leaked))
    }
}

@Suite("Budgets and context")
struct BudgetTests {
    let task = TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: ["test_sol.py": ""], maxIterations: 10, body: String(repeating: "Write f. ", count: 100))
    static let failing = ScriptedExecutor { _ in ExecOutcome(verdict: .testsFailed, tests: [TestCaseResult(name: "t", outcome: .failed, message: "no")]) }

    func run(_ configure: (inout EngineerLoop.Configuration) -> Void) async throws -> (RunResult, ScriptedModel) {
        let model = ScriptedModel(replies: (0..<10).map { "```python\nx = \($0)\n```" })
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: 10)
        configuration.rerunFailures = false
        configure(&configuration)
        let result = try await EngineerLoop(task: task, configuration: configuration, model: model, executor: Self.failing, recorder: MemoryRecorder(), clock: ManualClock()).run()
        return (result, model)
    }

    @Test func tokenBudgetStopsBeforeAnOvershoot() async throws {
        let (result, model) = try await run { $0.maxTotalTokens = 3000; $0.maxTokens = 1000 }
        #expect(result.summary.status == .unsolved)
        #expect(result.summary.stopReason == .budget)
        #expect(result.summary.error?.contains("token budget of 3000") == true)
        // Every call was affordable in the worst case: what was spent plus a full reply stays under the cap.
        for request in model.requests { #expect(request.maxTokens >= RequestPlanner.minimumReply) }
        #expect(result.summary.promptTokens + result.summary.completionTokens <= 3000)
    }

    @Test func costBudgetStopsCleanlyAndIsAccounted() async throws {
        let (result, model) = try await run {
            $0.maxCostUSD = 0.01
            $0.price = ModelPrice(inputPerMillion: 2, outputPerMillion: 8)
            $0.maxTokens = 200
        }
        #expect(result.summary.stopReason == .budget)
        #expect(result.summary.error?.contains("cost budget of $0.01") == true)
        let cost = try #require(result.summary.costUSD)
        #expect(cost <= 0.01)
        #expect(model.requests.count >= 1)
    }

    @Test func longConversationsAreShortenedToTheContext() async throws {
        let (_, model) = try await run { $0.contextTokens = 2000; $0.maxTokens = 500 }
        for request in model.requests {
            #expect(RequestPlanner.tokens(request.messages) + request.maxTokens <= 2000)
            #expect(request.messages[1].content.contains("Write f."))  // the task is never dropped
        }
        #expect(model.requests.last!.messages.count < 2 + 2 * 9)
    }

    @Test func aTaskLongerThanTheContextIsAClearError() async throws {
        let (result, _) = try await run { $0.contextTokens = 300 }
        #expect(result.summary.status == .error)
        #expect(result.summary.error?.contains("more than the model's context of 300 tokens") == true)
    }

    @Test func contextErrorsFromTheServerShortenAndRetry() async throws {
        let model = ScriptedModel(steps: [.fail(ModelError(.badRequest, "This model's maximum context length is 4096 tokens")), .reply("```python\nx = 1\n```")])
        let recorder = MemoryRecorder()
        let result = try await EngineerLoop(task: task, configuration: .init(model: "m", maxIterations: 1), model: model,
                                            executor: ScriptedExecutor { _ in ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "t", outcome: .passed)]) },
                                            recorder: recorder, clock: ManualClock()).run()
        #expect(result.summary.status == .solved)
        #expect(recorder.events.contains { $0.type == "context_exceeded" })
    }
}
