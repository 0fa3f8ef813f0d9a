import Foundation
import Testing
@testable import SelfDebugCore
import TestSupport

@Suite("The engineer loop")
struct EngineerLoopTests {
    let task = TaskSpec(language: .python, solutionFiles: ["stats.py"], tests: ["test_stats.py": "from stats import f\n"], timeout: 5, maxIterations: 3, body: "Write f.")

    /// Passes when the code returns 2, fails otherwise.
    static let executor = ScriptedExecutor { request in
        let code = request.files["stats.py"] ?? ""
        if code.contains("return 2") { return ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "test_f", outcome: .passed)]) }
        return ExecOutcome(verdict: .testsFailed, tests: [
            TestCaseResult(name: "test_f", outcome: .failed, location: "test_stats.py:3", message: "assert f() == 2", details: ["left:  f() = 1", "right: 2"]),
        ])
    }

    func loop(_ model: ScriptedModel, executor: any Executor = Self.executor, recorder: MemoryRecorder, max: Int = 3) -> EngineerLoop {
        EngineerLoop(task: task, configuration: .init(model: "m", maxIterations: max), model: model, executor: executor, recorder: recorder, clock: ManualClock())
    }

    /// Runs `model` with `strategy` in `conversation` for up to `max` turns.
    func run(_ model: ScriptedModel, strategy: LoopStrategy, conversation: ConversationStyle, max: Int, recorder: MemoryRecorder) async throws -> RunResult {
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: max)
        configuration.conversation = conversation
        configuration.strategy = strategy
        return try await EngineerLoop(task: task, configuration: configuration, model: model, executor: Self.executor, recorder: recorder, clock: ManualClock()).run()
    }

    /// A model whose first three versions fail (each a different one) and whose fourth passes, a
    /// recorder, and a four-turn configuration's defaults.
    static func threeWrongThenRight() -> (ScriptedModel, MemoryRecorder, EngineerLoop.Configuration) {
        let model = ScriptedModel(replies: (1...3).map { "```python\ndef f():\n    return 1  # version \($0)\n```" } + ["```python\ndef f():\n    return 2\n```"])
        return (model, MemoryRecorder(), EngineerLoop.Configuration(model: "m", maxIterations: 4))
    }

    /// The reasons of the run's `resample` events, in order.
    static func resampleReasons(_ recorder: MemoryRecorder) -> [String?] {
        recorder.events.compactMap { event -> String?? in
            if case .resample(let payload) = event.body { return .some(payload.reason) }
            return nil
        }
    }

    @Test func wrongThenRightSolvesWithTheRealFailureFedBack() async throws {
        let model = ScriptedModel(replies: ["```python\ndef f():\n    return 1\n```", "```python\ndef f():\n    return 2\n```"])
        let recorder = MemoryRecorder()
        let result = try await loop(model, recorder: recorder).run()
        #expect(result.summary.status == .solved)
        #expect(result.summary.iterations == 2)
        #expect(result.summary.llmCalls == 2)
        #expect(result.files == ["stats.py": "def f():\n    return 2\n"])
        let second = model.requests[1].messages
        #expect(second.last?.role == .user)
        #expect(second.last?.content.contains("left:  f() = 1") == true)
        #expect(second.last?.content.contains("FAILED test_f (test_stats.py:3)") == true)
        #expect(recorder.events.map(\.type) == [
            "run_start", "llm_request", "llm_response", "code", "exec", "feedback",
            "llm_request", "llm_response", "code", "exec", "run_end",
        ])
        #expect(recorder.events.last?.runEnd?.status == .solved)
    }

    /// Hidden tests and no examples: a failure shows nothing to repair from, so the next turn is a
    /// fresh sample of the task (hotter, no attempt shown), as resampling would take.
    @Test func aFailureThatShowsNothingIsFollowedByAFreshSample() async throws {
        let blind = ScriptedExecutor { request in
            if request.files["stats.py"]?.contains("return 2") == true { return ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "hidden", outcome: .passed)]) }
            var outcome = ExecOutcome(verdict: .testsFailed, tests: [TestCaseResult(name: "hidden tests", outcome: .failed, message: "the hidden tests did not pass")])
            outcome.detailsWithheld = true
            return outcome
        }
        let model = ScriptedModel(replies: ["```python\ndef f():\n    return 1\n```", "```python\ndef f():\n    return 2\n```"])
        let recorder = MemoryRecorder()
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: 3)
        configuration.conversation = .rewrite
        let result = try await EngineerLoop(task: task, configuration: configuration, model: model, executor: blind, recorder: recorder, clock: ManualClock()).run()
        #expect(result.summary.status == .solved)
        #expect(model.requests.count == 2)
        #expect(model.requests[1].messages == Array(model.requests[0].messages.prefix(2)))
        #expect(model.requests[1].temperature == configuration.resampleTemperature)
        #expect(recorder.events.map(\.type).contains("resample"))
        #expect(!recorder.events.map(\.type).contains("feedback"))

        // With the details shown, the same failure is told and repaired from.
        let told = ScriptedModel(replies: ["```python\ndef f():\n    return 1\n```", "```python\ndef f():\n    return 2\n```"])
        _ = try await EngineerLoop(task: task, configuration: configuration, model: told, executor: Self.executor, recorder: MemoryRecorder(), clock: ManualClock()).run()
        #expect(told.requests[1].messages.last?.content.contains("An attempt that does not pass yet") == true)
        #expect(told.requests[1].temperature == configuration.temperature)
    }

    /// Alternate: a repair that fails is followed by a fresh sample of the task (hotter, no attempt
    /// shown), and that sample's failure is repaired again.
    @Test func alternateFollowsAFailedRepairWithAFreshSample() async throws {
        let (model, recorder, configuration) = Self.threeWrongThenRight()
        let result = try await run(model, strategy: .alternate, conversation: .rewrite, max: 4, recorder: recorder)
        #expect(result.summary.status == .solved)
        #expect(model.requests.count == 4)
        let attempt = "An attempt that does not pass yet"
        // Turn 2 repairs turn 1; turn 3 is a fresh sample; turn 4 repairs turn 3.
        #expect(model.requests[1].messages.last?.content.contains(attempt) == true)
        #expect(model.requests[1].temperature == configuration.temperature)
        #expect(model.requests[2].messages == Array(model.requests[0].messages.prefix(2)))
        #expect(model.requests[2].temperature == configuration.resampleTemperature)
        #expect(model.requests[3].messages.last?.content.contains("return 1  # version 3") == true)
        #expect(model.requests[3].temperature == configuration.temperature)
        #expect(Self.resampleReasons(recorder) == [Prompts.failedRepair])
        #expect(!recorder.events.map(\.type).contains("restart"))
    }

    /// Repair once: the first failure is repaired (a fresh repair, the failure shown), and every
    /// later failure, the repair's included, is followed by a blind sample of the task.
    @Test func repairOnceRepairsTheFirstFailureThenSamplesBlind() async throws {
        let (model, recorder, configuration) = Self.threeWrongThenRight()
        let result = try await run(model, strategy: .repairOnce, conversation: .fresh, max: 4, recorder: recorder)
        #expect(result.summary.status == .solved)
        #expect(model.requests.count == 4)
        let opening = Array(model.requests[0].messages.prefix(2))
        // Turn 2 is told how turn 1 failed; turns 3 and 4 ask the task as first asked, hotter.
        #expect(model.requests[1].messages != opening)
        #expect(model.requests[1].messages.last?.content.contains("return 1  # version 1") == false)
        #expect(model.requests[2].messages == opening)
        #expect(model.requests[3].messages == opening)
        #expect(model.requests[2].temperature == configuration.resampleTemperature)
        #expect(model.requests[3].temperature == configuration.resampleTemperature)
        #expect(Self.resampleReasons(recorder) == [Prompts.repairSpent, Prompts.repairSpent])
        #expect(recorder.events.filter { $0.type == "feedback" }.count == 1)
        #expect(!recorder.events.map(\.type).contains("restart"))
    }

    /// After its repair, a repair-once run's samples are the baseline's: one that repeats an earlier
    /// version runs as it is (one call, one turn), not asked again with a note as a repair would be.
    @Test func repairOnceRunsARepeatedBlindSampleAsResamplingWould() async throws {
        let first = "```python\ndef f():\n    return 1\n```"
        let model = ScriptedModel(replies: [first, "```python\ndef f():\n    return 3\n```", first])
        let recorder = MemoryRecorder()
        let result = try await run(model, strategy: .repairOnce, conversation: .fresh, max: 3, recorder: recorder)
        #expect(result.summary.status == .unsolved)
        #expect(model.requests.count == 3)
        #expect(result.summary.iterations == 3)
        #expect(recorder.events.filter { $0.type == "exec" }.count == 3)
        #expect(!recorder.events.contains { $0.feedback?.reason == "repeated" })
    }

    @Test func budgetSpentIsUnsolvedWithTheBestVersionKept() async throws {
        let model = ScriptedModel(replies: (1...3).map { "```python\ndef f():\n    return 1  # version \($0)\n```" })
        let result = try await loop(model, recorder: MemoryRecorder()).run()
        #expect(result.summary.status == .unsolved)
        #expect(result.summary.stopReason == .maxIterations)
        #expect(result.summary.iterations == 3)
        #expect(result.files["stats.py"] != nil)
    }

    @Test func replyWithoutCodeCountsAsATurnAndIsAnsweredPrecisely() async throws {
        let model = ScriptedModel(replies: ["I would start by thinking.", "```python\ndef f():\n    return 2\n```"])
        let recorder = MemoryRecorder()
        let result = try await loop(model, recorder: recorder).run()
        #expect(result.summary.status == .solved)
        #expect(result.summary.iterations == 2)
        let feedback = recorder.events.first { $0.type == "feedback" }
        #expect(feedback?.feedback?.reason == "no code")
        #expect(model.requests[1].messages.last?.content.contains("no usable code") == true)
    }

    @Test func modelFailureEndsTheRunAsError() async throws {
        let model = ScriptedModel(steps: [.fail(ModelError(.unauthorized, "http://x/v1 refused the credentials"))])
        let recorder = MemoryRecorder()
        let result = try await loop(model, recorder: recorder).run()
        #expect(result.summary.status == .error)
        #expect(result.summary.stopReason == .modelError)
        #expect(result.summary.error?.contains("refused the credentials") == true)
        #expect(recorder.events.last?.type == "run_end")
    }

    @Test func executorFailureEndsTheRunAsError() async throws {
        struct Broken: Error {}
        let model = ScriptedModel(replies: ["```python\ndef f():\n    return 2\n```"])
        let result = try await loop(model, executor: ScriptedExecutor { _ in throw Broken() }, recorder: MemoryRecorder()).run()
        #expect(result.summary.stopReason == .executorError)
    }

    @Test func cancellationLeavesACompleteRecord() async throws {
        let recorder = MemoryRecorder()
        let (started, starting) = AsyncStream.makeStream(of: Void.self)
        let slow = ScriptedExecutor { _ in
            starting.yield()
            try await Task.sleep(nanoseconds: 600_000_000_000)  // ended by the cancellation
            return ExecOutcome(verdict: .passed)
        }
        let model = ScriptedModel(replies: ["```python\ndef f():\n    return 2\n```"])
        let running = Task { try await loop(model, executor: slow, recorder: recorder).run() }
        for await _ in started { break }  // cancel while the code runs, not before the loop starts
        running.cancel()
        let result = try await running.value
        #expect(result.summary.stopReason == .interrupted)
        #expect(result.summary.status == .error)
        #expect(recorder.events.last?.type == "run_end")
    }

    @Test func taskWithoutTestsHasTheAgentWriteThemFirst() async throws {
        var noTests = task
        noTests.tests = [:]
        let reply = "test_stats.py\n```python\nfrom stats import f\ndef test_f():\n    assert f() == 2\n```\nstats.py\n```python\ndef f():\n    return 2\n```\n"
        let model = ScriptedModel(replies: [reply])
        let recorder = MemoryRecorder()
        let executor = ScriptedExecutor { request in
            #expect(request.task.tests.keys.sorted() == ["test_stats.py"])
            return ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "test_f", outcome: .passed)])
        }
        let result = try await EngineerLoop(task: noTests, configuration: .init(model: "m", maxIterations: 2), model: model, executor: executor, recorder: recorder, clock: ManualClock()).run()
        #expect(result.summary.status == .solved)
        #expect(result.summary.verifiedBy == "agent_tests")
        #expect(result.agentTests.keys.sorted() == ["test_stats.py"])
        #expect(result.files.keys.sorted() == ["stats.py"])
        #expect(recorder.events.contains { $0.type == "tests_written" })
        #expect(model.requests[0].messages[1].content.contains("There are no tests"))
    }

    @Test func longConversationsDropOldTurnsButKeepTaskAndLatest() {
        let messages = [ChatMessage(role: .system, content: "s"), ChatMessage(role: .user, content: "task")]
            + (0..<10).flatMap { [ChatMessage(role: .assistant, content: String(repeating: "a", count: 1000)), ChatMessage(role: .user, content: "feedback \($0)")] }
        let short = EngineerLoop.shortened(messages, budget: 3000)
        #expect(short[0].content == "s")
        #expect(short[1].content == "task")
        #expect(short.last?.content == "feedback 9")
        #expect(short.reduce(0) { $0 + $1.content.count } <= 3000)
    }

    @Test func eventsSerialiseWithTypeIterationTimeFirst() {
        let event = TrajectoryEvent(iteration: 2, time: Date(timeIntervalSince1970: 0), body: .feedback(.init(text: "x\n\"y\"", reason: "r")))
        #expect(event.jsonLine == #"{"type":"feedback","iteration":2,"time":"1970-01-01T00:00:00.000Z","reason":"r","text":"x\n\"y\""}"#)
    }
}

@Suite("Reading files in project mode")
struct ReadRequestTests {
    @Test func theFirstReadsDoNotUseUpTurns() async throws {
        var task = TaskSpec(language: .python, solutionFiles: [], tests: ["tests/test_a.py": "from a import f\n"], maxIterations: 1, body: "Fix it.",
                            startingFiles: ["a.py": "def f():\n    return 1\n", "b.py": "B = 2\n"])
        task.testCommand = "pytest -q"
        let model = ScriptedModel(replies: ["READ: b.py", "READ: nope.py", "a.py\n<<<<<<< SEARCH\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE\n"])
        let executor = ScriptedExecutor { request in
            request.files["a.py"]?.contains("return 2") == true
                ? ExecOutcome(verdict: .passed, tests: [TestCaseResult(name: "t", outcome: .passed)])
                : ExecOutcome(verdict: .testsFailed, tests: [TestCaseResult(name: "t", outcome: .failed)])
        }
        let result = try await EngineerLoop(task: task, configuration: .init(model: "m", maxIterations: 1), model: model, executor: executor,
                                            recorder: MemoryRecorder(), clock: ManualClock()).run()
        #expect(result.summary.status == .solved)
        #expect(model.requests[1].messages.last?.content.contains("b.py\n```python\nB = 2\n```") == true)
        #expect(model.requests[2].messages.last?.content.contains("nope.py: no such file in the project") == true)
    }
}
