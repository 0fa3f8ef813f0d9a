import Foundation
import Testing
@testable import SelfDebugCore
import TestSupport

/// Feedback modes, stuck detection, test deltas and flaky tests.
@Suite("Self-Debug modes, stuck detection, deltas, flaky tests")
struct SelfDebugModesTests {
    let task = TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: ["test_sol.py": ""], timeout: 5, maxIterations: 4, body: "Write f and g.")

    /// Each test passes when the code contains its marker.
    static func outcome(for code: String, tests: [String] = ["test_f", "test_g"]) -> ExecOutcome {
        let results = tests.map { name in
            code.contains(name) ? TestCaseResult(name: name, outcome: .passed)
                : TestCaseResult(name: name, outcome: .failed, message: "assert \(name)() == 1", details: ["left:  0", "right: 1"])
        }
        return ExecOutcome(verdict: results.allSatisfy(\.passed) ? .passed : .testsFailed, tests: results)
    }

    static let markerExecutor = ScriptedExecutor { request in outcome(for: request.files["sol.py"] ?? "") }

    func run(_ replies: [String], executor: any Executor = markerExecutor, configure: (inout EngineerLoop.Configuration) -> Void = { _ in }) async throws -> (RunResult, ScriptedModel, MemoryRecorder) {
        let model = ScriptedModel(replies: replies)
        let recorder = MemoryRecorder()
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: replies.count)
        configure(&configuration)
        let result = try await EngineerLoop(task: task, configuration: configuration, model: model, executor: executor, recorder: recorder, clock: ManualClock()).run()
        return (result, model, recorder)
    }

    func code(_ body: String) -> String { "```python\n\(body)\n```" }

    @Test func deltaSaysWhatWasFixedAndBroken() async throws {
        let (_, model, recorder) = try await run([code("# test_f"), code("# test_g"), code("# test_f test_g")])
        let feedback = model.requests[2].messages.last?.content ?? ""
        #expect(feedback.contains("Since your previous version: fixed 1 (test_g); broke 1: test_f."))
        let execs = recorder.events.filter { $0.type == "exec" }
        #expect(execs[1].exec?.delta?.fixed == ["test_g"])
        #expect(execs[1].exec?.delta?.broke == ["test_f"])
    }

    @Test func aRepeatedVersionIsNotRunAgainAndTheModelIsAskedAgainHotter() async throws {
        let (result, model, recorder) = try await run([code("# test_f"), code("# test_f"), code("# test_f test_g")])
        #expect(result.summary.status == .solved)
        // The repeat was not a turn: the third reply is the second turn.
        #expect(result.summary.iterations == 2)
        #expect(result.summary.llmCalls == 3)
        #expect(recorder.events.filter { $0.type == "exec" }.count == 2)
        let told = try #require(recorder.events.first { $0.feedback?.reason == "repeated" })
        #expect(told.feedback?.text.contains("sent back the code of turn 1 unchanged") == true)
        // Asked again without the repeated reply (a model copies what it sees itself say), the note
        // added to the feedback it answered.
        #expect(model.requests[2].messages.count == model.requests[1].messages.count)
        #expect(model.requests[2].messages.last?.content.hasPrefix(model.requests[1].messages.last?.content ?? "-") == true)
        #expect(model.requests[2].messages.last?.content.contains("was not run, since it fails as shown") == true)
        #expect(model.requests[2].temperature > model.requests[1].temperature)
        #expect(!recorder.events.contains { $0.type == "restart" })
    }

    @Test func aVersionThatDiffersOnlyInBlankLinesAndTrailingSpaceIsARepeat() async throws {
        // HumanEval/65: the model's "new" version dropped one blank line; it failed exactly as before.
        let (result, _, recorder) = try await run([code("# test_f\n\nx = 1"), code("# test_f   \nx = 1\n\n"), code("# test_f test_g")])
        #expect(result.summary.status == .solved)
        #expect(result.summary.iterations == 2)
        #expect(recorder.events.filter { $0.type == "exec" }.count == 2)
        #expect(recorder.events.contains { $0.feedback?.reason == "repeated" })
        // Indentation is Python's syntax: a version indented differently runs.
        let (_, _, indented) = try await run([code("# test_f\nx = 1"), code("# test_f\n  x = 1"), code("# test_f test_g")])
        #expect(indented.events.filter { $0.type == "exec" }.count == 3)
    }

    @Test func aFreshRepairThatRepeatsAFailedAttemptIsToldSoWithoutTheCodeItNeverSaw() async throws {
        let (_, model, _) = try await run([code("# test_f"), code("# test_f"), code("# test_f test_g")]) { $0.conversation = .fresh }
        let note = model.requests[2].messages.last?.content ?? ""
        #expect(note.contains("Note: that answer was the code of an earlier attempt, which fails as shown above; it was not run. Write a different solution."), "\(note)")
        #expect(!note.contains("sent back the code of turn"))
    }

    @Test func repeatsBeyondTheRetriesStartAFreshAttempt() async throws {
        let (result, model, recorder) = try await run([code("# test_f"), code("# test_f"), code("# test_f test_g")]) { $0.repeatRetries = 0 }
        #expect(result.summary.status == .solved)
        let restart = try #require(recorder.events.first { $0.type == "restart" })
        #expect(restart.iteration == 2)
        #expect(restart.restart?.reason.contains("identical to the version of iteration 1") == true)
        // The third request starts from the task again, at a higher temperature.
        let third = model.requests[2]
        #expect(third.messages.count == 2)
        #expect(third.messages[1].content.contains("An earlier attempt got stuck"))
        #expect(third.temperature > model.requests[0].temperature)
        // The repeated version was not run again.
        #expect(recorder.events.filter { $0.type == "exec" }.count == 2)
    }

    @Test func freshRepairsAndTheirRestartsDoNotQuoteTheFailingCodeFromATraceback() async throws {
        // HumanEval/86: a fresh repair quoting the failing line in its traceback got that line back
        // in six answers of six; a rewrite repair shows the code anyway, and quotes it.
        let raising = ScriptedExecutor { request in
            let code = request.files["sol.py"] ?? ""
            if code.contains("test_f test_g") { return Self.outcome(for: code) }
            return ExecOutcome(verdict: .testsFailed, tests: [
                TestCaseResult(name: "test_f", outcome: .error, message: "TypeError: bad operand", traceback: [
                    TraceFrame(file: "test_sol.py", line: 3, function: "test_f", code: "assert f() == 1"),
                    TraceFrame(file: "sol.py", line: 1, function: "f", code: "return ' '.join(sorted(w))"),
                ]),
            ])
        }
        let replies = [code("return ' '.join(sorted(w))"), code("return ' '.join(sorted(w))"), code("return ' '.join(sorted(w))"), code("# test_f test_g")]
        let (fresh, model, recorder) = try await run(replies, executor: raising) {
            $0.conversation = .fresh
            $0.repeatRetries = 0
        }
        #expect(fresh.summary.status == .solved)
        #expect(recorder.events.contains { $0.type == "restart" })
        for request in model.requests.dropFirst() {
            let text = request.messages[1].content
            #expect(text.contains("sol.py:1 in f") && text.contains("TypeError: bad operand"))
            #expect(!text.contains("' '.join"), "\(text)")
            #expect(text.contains("assert f() == 1"))
        }
        let (_, rewriteModel, _) = try await run([code("return ' '.join(sorted(w))"), code("# test_f test_g")], executor: raising) { $0.conversation = .rewrite }
        #expect(rewriteModel.requests[1].messages[1].content.contains("sol.py:1 in f\n      return ' '.join(sorted(w))"))
    }

    @Test func rewriteShowsTheFailingAttemptInsideANewRequest() async throws {
        let (result, model, _) = try await run([code("# test_f"), code("# test_f test_g")]) { $0.conversation = .rewrite }
        #expect(result.summary.status == .solved)
        let second = model.requests[1].messages
        // System and one user message: the task, the attempt as someone's code, what happened.
        #expect(second.map(\.role) == [.system, .user])
        #expect(second[1].content.hasPrefix(model.requests[0].messages[1].content))
        #expect(second[1].content.contains("## An attempt that does not pass yet\n\nsol.py\n```python\n# test_f\n```"))
        #expect(second[1].content.contains("assert test_g() == 1"))
    }

    @Test func freshRepairsShowTheLatestFailuresButNotTheFailingCode() async throws {
        let (result, model, recorder) = try await run([code("# test_f v1"), code("# v2"), code("# v3"), code("# test_f test_g")]) {
            $0.conversation = .fresh
            $0.resampleTemperature = 0.7
        }
        #expect(result.summary.status == .solved)
        let opening = model.requests[0].messages
        for (index, request) in model.requests.enumerated().dropFirst() {
            // The run's first request again, with the failures after it; no failing code, no restart.
            #expect(request.messages.map(\.role) == [.system, .user], "request \(index)")
            #expect(request.messages[1].content.hasPrefix(opening[1].content))
            #expect(request.messages[1].content.contains("## Earlier attempts that failed"))
            #expect(!request.messages[1].content.contains("# test_f v1") && !request.messages[1].content.contains("# v2"))
        }
        // The second request shows the first failure; the third the two latest (v1 failed test_g
        // only, v2 both).
        #expect(model.requests[1].messages[1].content.contains("An earlier solution to this task failed like this"))
        #expect(model.requests[1].messages[1].content.contains("assert test_g() == 1"))
        let third = model.requests[2].messages[1].content
        #expect(third.contains("### Attempt 1") && third.contains("### Attempt 2") && !third.contains("### Attempt 3"))
        #expect(third.components(separatedBy: "assert test_g() == 1").count == 3)
        // v3 failed as v2 did: the fourth shows that failure once, as one wrong approach, and asks
        // hotter (a fresh attempt's step above the resample temperature, at most 1).
        let fourth = model.requests[3].messages[1].content
        #expect(fourth.contains("The last 2 solutions to this task all failed in exactly the same way"))
        #expect(fourth.contains("they took the same approach and it is wrong") && !fourth.contains("### Attempt"))
        #expect(fourth.components(separatedBy: "assert test_f() == 1").count == 2)
        #expect(model.requests.dropFirst().map(\.temperature) == [0.7, 0.7, 1.0])
        #expect(!recorder.events.contains { $0.type == "restart" })
        let told = recorder.events.filter { $0.type == "feedback" }.compactMap(\.feedback?.text)
        #expect(told.count == 3 && told.allSatisfy { $0.contains("Earlier attempts that failed") })
    }

    @Test func aFreshRepairStartsFromTheTasksFilesNotTheFailingVersion() async throws {
        // An edit in a fresh repair applies to the task's files: the model never saw the failing version.
        let edit = "sol.py\n<<<<<<< SEARCH\n# start\n=======\n# test_f test_g\n>>>>>>> REPLACE"
        let model = ScriptedModel(replies: [code("# start\n# test_f"), edit])
        var configuration = EngineerLoop.Configuration(model: "m", maxIterations: 2)
        configuration.conversation = .fresh
        var started = task
        started.startingFiles = ["sol.py": "# start\n"]
        let result = try await EngineerLoop(task: started, configuration: configuration, model: model, executor: Self.markerExecutor,
                                            recorder: MemoryRecorder(), clock: ManualClock()).run()
        #expect(result.summary.status == .solved)
        #expect(result.files["sol.py"] == "# test_f test_g\n")
    }

    @Test func sameFailureTwiceStartsAFreshAttempt() async throws {
        let (_, model, recorder) = try await run([code("# test_f v1"), code("# test_f v2"), code("# test_f test_g")])
        let restart = try #require(recorder.events.first { $0.type == "restart" })
        #expect(restart.restart?.reason == "the same failure as the previous version")
        #expect(model.requests[2].messages.count == 2)
    }

    @Test func aFreshAttemptIsToldItsFirstFailureEvenWhenItMatchesTheOneBeforeTheRestart() async throws {
        // v1 and v2 fail alike: a restart. v3, the fresh attempt, fails like them too, but it is new
        // code that has not been told anything yet: it gets feedback, not a second restart.
        let (result, model, recorder) = try await run([code("# test_f v1"), code("# test_f v2"), code("# test_f v3"), code("# test_f test_g")])
        #expect(result.summary.status == .solved)
        #expect(recorder.events.filter { $0.type == "restart" }.count == 1)
        let fourth = model.requests[3].messages
        #expect(fourth.count == 4)
        #expect(fourth.last?.content.contains("assert test_g() == 1") == true)
    }

    @Test func noRestartKeepsRepairing() async throws {
        let (_, model, recorder) = try await run([code("# test_f v1"), code("# test_f v2"), code("# test_f test_g")]) { $0.restartWhenStuck = false }
        #expect(!recorder.events.contains { $0.type == "restart" })
        #expect(model.requests[2].messages.count == 6)
    }

    @Test func failureThatPassesOnARerunIsFlakyNotABug() async throws {
        let calls = Counter()
        let flaky = ScriptedExecutor { _ in
            let call = calls.next()
            return ExecOutcome(verdict: call == 1 ? .testsFailed : .passed, tests: [
                TestCaseResult(name: "test_f", outcome: .passed),
                TestCaseResult(name: "test_timing", outcome: call == 1 ? .failed : .passed, message: "too slow"),
            ])
        }
        let (result, _, recorder) = try await run([code("x = 1")], executor: flaky)
        #expect(result.summary.status == .solved)
        let exec = try #require(recorder.events.first { $0.type == "exec" })
        #expect(exec.exec?.notes.contains("Flaky: test_timing failed, then passed when run again; not counted against the code.") == true)
        #expect(calls.count == 2)
    }

    @Test func consistentFailuresAreNotFlaky() async throws {
        let calls = Counter()
        let failing = ScriptedExecutor { _ in
            _ = calls.next()
            return Self.outcome(for: "")
        }
        let (result, _, _) = try await run([code("x = 1")], executor: failing)
        #expect(result.summary.status == .unsolved)
        #expect(calls.count == 2)
        #expect(result.outcome?.tests.allSatisfy { $0.flaky == nil } == true)
    }

    @Test func simpleModeSaysOnlyThatTestsFail() async throws {
        let (_, model, _) = try await run([code("# test_f"), code("# test_f test_g")]) { $0.feedbackMode = .simple }
        let feedback = model.requests[1].messages.last?.content ?? ""
        #expect(feedback.hasPrefix("1 of 2 tests failed.\n\nFix the code"))
        #expect(!feedback.contains("left:"))
    }

    @Test func explainModeAsksForARubberDuckExplanation() async throws {
        let (_, model, _) = try await run([code("# test_f"), code("# test_f test_g")]) { $0.feedbackMode = .explain }
        let feedback = model.requests[1].messages.last?.content ?? ""
        #expect(feedback.contains("left:  0"))
        #expect(feedback.contains("explain the failing code line by line, as if to a rubber duck"))
    }

    @Test func traceModeAddsTheExecutorsTrace() async throws {
        struct Tracing: Executor {
            var description: String { "tracing" }
            func run(_ request: ExecRequest) async throws -> ExecOutcome { SelfDebugModesTests.outcome(for: request.files["sol.py"] ?? "") }
            func trace(_ request: ExecRequest, test: String) async throws -> String? { "Trace of \(test):\n[1] sol.py:f line 2: x = 0 -> returns 0" }
        }
        let (_, model, recorder) = try await run([code("# test_f"), code("# test_f test_g")], executor: Tracing()) { $0.feedbackMode = .trace }
        let feedback = model.requests[1].messages.last?.content ?? ""
        #expect(feedback.contains("Trace of test_g:\n[1] sol.py:f line 2: x = 0 -> returns 0"))
        #expect(feedback.contains("Use the trace to find the first block"))
        #expect(recorder.events.contains { $0.trace?.test == "test_g" })
    }

    @Test func traceModeWithoutATraceDoesNotAskTheModelToUseOne() async throws {
        // The executor could not trace (another language, a crash): the plain request to fix.
        let (_, model, _) = try await run([code("# test_f"), code("# test_f test_g")]) { $0.feedbackMode = .trace }
        let feedback = model.requests[1].messages.last?.content ?? ""
        #expect(feedback.contains("assert test_g() == 1"))
        #expect(!feedback.contains("Use the trace") && feedback.contains("Fix the code so that every test passes."))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
    var count: Int { lock.withLock { value } }
}
