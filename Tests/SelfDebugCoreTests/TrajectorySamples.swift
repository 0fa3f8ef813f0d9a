import Foundation
import Testing
@testable import SelfDebugCore

/// One event of each type with realistic values, and the fields the loop wrote for it before the
/// events were typed (format version 1): the reference the typed events must match byte for byte.
struct TrajectorySample: Sendable, CustomTestStringConvertible {
    var body: TrajectoryEvent.Body
    /// The version 1 fields, built the way the loop built its dictionaries.
    var version1: [String: JSONValue]

    var testDescription: String { body.type }

    static let time = Date(timeIntervalSince1970: 1_700_000_000)

    /// The version 1 line: the event's fields with `type`, `iteration`, `time` put first.
    static func version1Line(type: String, iteration: Int, fields: [String: JSONValue]) -> String {
        var members = fields
        members["type"] = .string(type)
        members["iteration"] = .int(iteration)
        members["time"] = .string("2023-11-14T22:13:20.000Z")
        return JSONValue.object(members).serialized(leadingKeys: ["type", "iteration", "time"])
    }

    static var task: TaskSpec {
        var task = TaskSpec(
            title: "Stats", language: .swift, solutionFiles: ["Sources/Stats/Stats.swift"],
            tests: ["Tests/StatsTests/StatsTests.swift": "import XCTest\n@testable import Stats\n"], module: "Stats", timeout: 10,
            maxIterations: 4, body: "Write mean.", startingFiles: ["Sources/Stats/MeanHelpers.swift": "// helpers\n"], source: "tasks/stats.md")
        task.testCommand = "swift test"
        return task
    }

    static var outcome: ExecOutcome {
        var stdout = CapturedText(text: "head\n[... cut ...]\ntail", totalBytes: 90_000, truncated: true, keptHeadBytes: 5, keptTailBytes: 4)
        stdout.text += "\n"
        var timedOut = CommandRun(phase: "test", command: ["swift", "test"], exitStatus: nil, signal: 9, timedOut: true, durationSeconds: 2.5,
                                  stdout: stdout, limitsHit: ["timed out after 2 s"])
        timedOut.statusUnknown = true
        var flaky = TestCaseResult(name: "StatsTests.testSlow", outcome: .failed, message: "too slow")
        flaky.flaky = true
        var outcome = ExecOutcome(
            verdict: .testsFailed,
            runs: [CommandRun(phase: "build", command: ["swift", "build"], exitStatus: 0, durationSeconds: 1.0), timedOut],
            diagnostics: [Diagnostic(file: "Sources/Stats/Stats.swift", line: 3, column: nil, severity: "warning", message: "unused", sourceLine: "let x = 1", notes: ["here"])],
            tests: [
                TestCaseResult(name: "StatsTests.testMean", outcome: .passed),
                TestCaseResult(name: "StatsTests.testEmpty", outcome: .error, location: "Tests/StatsTests/StatsTests.swift:7", message: "crash",
                               details: ["left: 1", "right: 0"], traceback: [TraceFrame(file: "Sources/Stats/Stats.swift", line: 2, function: "mean", code: "xs[0]")],
                               output: "printed"),
                flaky,
                TestCaseResult(name: "StatsTests.testLater", outcome: .skipped, message: "not yet"),
            ],
            notes: ["Flaky: StatsTests.testSlow failed, then passed when run again; not counted against the code."])
        outcome.judgedVerdict = .passed
        return outcome
    }

    /// The version 1 `exec` fields (the loop's `execFields`).
    static func version1Exec(_ outcome: ExecOutcome) -> [String: JSONValue] {
        let last = outcome.runs.last
        return [
            "verdict": .string(outcome.verdict.rawValue), "command": JSONValue(encoding: last?.command ?? []),
            "exit_status": last?.exitStatus.map { .int(Int($0)) } ?? .null, "signal": last?.signal.map { .int(Int($0)) } ?? .null,
            "timed_out": .bool(outcome.runs.contains(where: \.timedOut)), "duration_seconds": .double(outcome.durationSeconds),
            "steps": JSONValue(encoding: outcome.runs), "diagnostics": JSONValue(encoding: outcome.diagnostics),
            "tests": JSONValue(encoding: outcome.tests), "tests_passed": .int(outcome.passedCount), "tests_failed": .int(outcome.failedCount),
            "tests_skipped": .int(outcome.skippedCount), "interrupted": .bool(outcome.verdict == .interrupted),
            "hidden_verdict": outcome.judgedVerdict.map { .string($0.rawValue) } ?? .null, "notes": JSONValue(encoding: outcome.notes),
        ]
    }

    static var summary: RunSummary {
        var summary = RunSummary(
            status: .unsolved, stopReason: .maxIterations, iterations: 4, llmCalls: 5, promptTokens: 1200, completionTokens: 300,
            wallSeconds: 12.75, execSeconds: 4, llmSeconds: 6.5, model: "gpt-4o-mini", provider: "openai-compatible", solutionFiles: ["Sources/Stats/Stats.swift"],
            solutionIteration: 3, testsPassed: 2, testsTotal: 4, verifiedBy: "task_tests", error: "budget", costUSD: 0.0123)
        summary.testsSkipped = 1
        return summary
    }

    static func runStart(repairTemperature: Double?) -> TrajectorySample {
        let task = task
        return TrajectorySample(
            body: .runStart(.init(
                task: task, model: "gpt-4o-mini", provider: "openai-compatible http://127.0.0.1:1/v1",
                limits: .init(maxIterations: 4, timeoutSeconds: task.timeout, maxTokens: 4096, feedbackBudgetChars: 6000),
                executor: "sandbox: bubblewrap", toolVersion: "0.1.0", testsSource: .agent, feedbackMode: .trace, strategy: .resample,
                conversation: .short, repairTemperature: repairTemperature)),
            version1: [
                "task": JSONValue(encoding: task), "model": .string("gpt-4o-mini"), "provider": .string("openai-compatible http://127.0.0.1:1/v1"),
                "limits": .object(["max_iterations": .int(4), "timeout_seconds": .double(task.timeout), "max_tokens": .int(4096), "feedback_budget_chars": .int(6000)]),
                "executor": .string("sandbox: bubblewrap"), "tool_version": .string("0.1.0"), "tests_source": .string("agent"),
                "feedback_mode": .string("trace"), "strategy": .string("resample"), "conversation": .string("short"),
                "repair_temperature": repairTemperature.map(JSONValue.double) ?? .null,
            ])
    }

    static func llmRequest() -> TrajectorySample {
        let request = ChatRequest(model: "gpt-4o-mini", messages: [
            ChatMessage(role: .system, content: "You are careful."), ChatMessage(role: .user, content: "key [REDACTED openai key] \"quoted\"\n"),
        ], temperature: 0.5, maxTokens: 4096)
        let redactions = [Redaction(message: 1, role: .user, kind: "openai key", count: 1)]
        return TrajectorySample(
            body: .llmRequest(.init(request, droppedMessages: 2, estimatedPromptTokens: 1234, redactions: redactions)),
            version1: [
                "request_hash": .string(String(RecordedModel.hash(request), radix: 16)), "messages": JSONValue(encoding: request.messages),
                "model": .string(request.model), "temperature": .double(request.temperature), "max_tokens": .int(request.maxTokens),
                "dropped_messages": .int(2), "estimated_prompt_tokens": .int(1234),
                "redactions": .array([.object(["message": .int(1), "role": .string("user"), "kind": .string("openai key"), "count": .int(1)])]),
            ])
    }

    static func llmResponse(finishReason: String?, replayed: Bool?) -> TrajectorySample {
        var response = ChatResponse(text: "```swift\nfunc mean() {}\n```", usage: TokenUsage(promptTokens: 100, completionTokens: 20), finishReason: finishReason, attempts: 2)
        response.replayed = replayed
        return TrajectorySample(
            body: .llmResponse(.init(response, latencySeconds: 1.25)),
            version1: [
                "text": .string(response.text), "usage": JSONValue(encoding: response.usage), "latency_seconds": .double(1.25),
                "finish_reason": response.finishReason.map(JSONValue.string) ?? .null, "attempts": .int(2), "replayed": .bool(replayed ?? false),
            ])
    }

    static func exec(baseline: Bool) -> TrajectorySample {
        let outcome = outcome
        let delta = baseline ? nil : TestDelta(from: ExecOutcome(verdict: .testsFailed, tests: [TestCaseResult(name: "StatsTests.testEmpty", outcome: .passed)]), to: outcome)
        var fields = version1Exec(outcome)
        if let delta { fields["delta"] = JSONValue(encoding: delta) } else { fields["baseline"] = .bool(true) }
        return TrajectorySample(body: .exec(.init(outcome, baseline: baseline, delta: delta)), version1: fields)
    }

    /// Every event type, some twice (with and without optional values).
    static let all: [TrajectorySample] = [
        runStart(repairTemperature: 0.7),
        runStart(repairTemperature: nil),
        llmRequest(),
        llmResponse(finishReason: "stop", replayed: true),
        llmResponse(finishReason: nil, replayed: nil),
        TrajectorySample(body: .contextExceeded(.init(message: "maximum context length is 4096", shrink: 0.5)),
                         version1: ["message": .string("maximum context length is 4096"), "shrink": .double(0.5)]),
        TrajectorySample(body: .code(.init(files: ["Sources/Stats/Stats.swift": "func mean() {}\n"], changed: ["Sources/Stats/Stats.swift"], notes: ["kept"])),
                         version1: ["files": JSONValue(encoding: ["Sources/Stats/Stats.swift": "func mean() {}\n"]),
                                    "changed": JSONValue(encoding: ["Sources/Stats/Stats.swift"]), "notes": JSONValue(encoding: ["kept"])]),
        exec(baseline: false),
        exec(baseline: true),
        TrajectorySample(body: .feedback(.init(text: "1 of 2 tests failed.\n\tdetails", reason: "tests_failed")),
                         version1: ["text": .string("1 of 2 tests failed.\n\tdetails"), "reason": .string("tests_failed")]),
        TrajectorySample(body: .testsWritten(.init(files: ["test_stats.py": "def test_a():\n    assert True\n"])),
                         version1: ["files": .object(["test_stats.py": .string("def test_a():\n    assert True\n")]), "by": .string("agent")]),
        TrajectorySample(body: .restart(.init(reason: "the same failure as the previous version", restarts: 1)),
                         version1: ["reason": .string("the same failure as the previous version"), "restarts": .int(1)]),
        TrajectorySample(body: .resample(.init(temperature: 1)), version1: ["temperature": .double(1)]),
        TrajectorySample(body: .trace(.init(test: "test_empty", text: "line 2: xs = []")),
                         version1: ["test": .string("test_empty"), "text": .string("line 2: xs = []")]),
        TrajectorySample(body: .runEnd(.init(status: .unsolved, stopReason: .maxIterations, totals: summary)),
                         version1: ["status": .string("unsolved"), "stop_reason": .string("max_iterations"), "totals": JSONValue(encoding: summary)]),
    ]
}
