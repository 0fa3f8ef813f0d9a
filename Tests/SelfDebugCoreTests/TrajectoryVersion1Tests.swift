import Foundation
import Testing
@testable import SelfDebugCore

/// A run folder written before the events were typed (Tests/Fixtures/trajectory-v1: a Python task
/// solved on the second turn against the scripted server; no `schema_version`) still reads.
@Suite("Reading version 1 trajectories")
struct TrajectoryVersion1Tests {
    static var folder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/trajectory-v1").path
    }

    static func lines() throws -> [String] {
        try String(contentsOfFile: folder + "/trajectory.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func events() throws -> [TrajectoryEvent] {
        TrajectoryEvent.events(inJSONLines: try String(contentsOfFile: folder + "/trajectory.jsonl", encoding: .utf8))
    }

    @Test func everyEventReadsTyped() throws {
        let events = try Self.events()
        #expect(events.map(\.type) == [
            "run_start", "llm_request", "llm_response", "code", "exec", "feedback",
            "llm_request", "llm_response", "code", "exec", "run_end",
        ])
        #expect(!events.contains { if case .other = $0.body { true } else { false } })

        let start = try #require(events.first?.runStart)
        #expect(start.schemaVersion == 1)
        #expect(start.task.title == "Mean")
        #expect(start.task.tests.keys.sorted() == ["test_stats.py"])
        #expect(start.limits == .init(maxIterations: 3, timeoutSeconds: 10, maxTokens: 4096, feedbackBudgetChars: 6000))
        #expect(start.model == "gpt-4o-mini")
        #expect(start.testsSource == .task)

        let execs = events.compactMap(\.exec)
        #expect(execs.map(\.verdict) == [.testsFailed, .passed])
        #expect(execs[0].tests.map(\.name) == ["test_mean", "test_empty"])
        #expect(execs[0].tests[1].traceback.map(\.file) == ["test_stats.py", "stats.py"])
        #expect(execs[1].delta?.fixed == ["test_empty"])
        #expect(execs.allSatisfy { !$0.steps.isEmpty && $0.steps.allSatisfy { $0.phase == "test" } })

        #expect(events.compactMap(\.feedback).first?.text.contains("ZeroDivisionError") == true)
        let end = try #require(events.last?.runEnd)
        #expect(end.status == .solved)
        #expect(end.totals.iterations == 2)
        #expect(end.totals.costUSD != nil)
    }

    @Test func recordedRepliesAreServedFromIt() throws {
        let events = try Self.events()
        let replies = RecordedModel.replies(in: events)
        #expect(replies.count == 2)
        let first = try #require(events.compactMap(\.llmRequest).first)
        #expect(replies[RecordedModel.hash(first.request)]?.text.contains("return sum(xs) / len(xs)\n") == true)
        // Its recorded hash is the hash of the request read back.
        #expect(first.requestHash == String(RecordedModel.hash(first.request), radix: 16))
        #expect(RecordedModel.replies(in: events, beforeIteration: 2).count == 1)
    }

    @Test func writtenAgainEveryLineIsTheSameButForTheVersion() throws {
        for line in try Self.lines() {
            let again = try TrajectoryEvent(jsonLine: line).jsonLine
            #expect(again.replacingOccurrences(of: #""schema_version":1,"#, with: "") == line)
        }
    }
}
