import Foundation
import Testing
@testable import SelfDebugCore

@Suite("Typed trajectory events")
struct TrajectoryEventTests {
    func event(_ body: TrajectoryEvent.Body) -> TrajectoryEvent {
        TrajectoryEvent(iteration: 2, time: TrajectorySample.time, body: body)
    }

    @Test(arguments: TrajectorySample.all)
    func eachEventReadsBackAsWritten(_ sample: TrajectorySample) throws {
        let written = event(sample.body)
        let line = written.jsonLine
        #expect(line.hasPrefix(#"{"type":"\#(sample.body.type)","iteration":2,"time":"2023-11-14T22:13:20.000Z","#))
        let read = try TrajectoryEvent(jsonLine: line)
        #expect(read == written)
        #expect(read.jsonLine == line)
        // The Codable conformance holds with Foundation's coders too.
        #expect(try JSONDecoder().decode(TrajectoryEvent.self, from: JSONEncoder().encode(written)) == written)
    }

    @Test(arguments: TrajectorySample.all)
    func eachEventWritesTheBytesOfVersion1(_ sample: TrajectorySample) {
        var expected = sample.version1
        // The one addition of version 2.
        if case .runStart = sample.body { expected["schema_version"] = .int(TrajectoryEvent.schemaVersion) }
        #expect(event(sample.body).jsonLine == TrajectorySample.version1Line(type: sample.body.type, iteration: 2, fields: expected))
    }

    @Test func theSamplesCoverEveryEventType() {
        let types = Set(TrajectorySample.all.map(\.body.type))
        #expect(types == ["run_start", "llm_request", "llm_response", "context_exceeded", "code", "exec", "feedback", "tests_written",
                          "restart", "resample", "trace", "run_end"])
    }

    @Test func runStartSaysTheSchemaVersion() throws {
        let line = event(TrajectorySample.runStart(repairTemperature: nil).body).jsonLine
        #expect(line.contains(#""schema_version":2,"#))
        #expect(try TrajectoryEvent(jsonLine: line).runStart?.schemaVersion == 2)
        // Without the field: a version 1 file.
        let old = line.replacingOccurrences(of: #""schema_version":2,"#, with: "")
        #expect(try TrajectoryEvent(jsonLine: old).runStart?.schemaVersion == 1)
    }

    @Test func anUnknownEventTypeIsKeptWhole() throws {
        let line = #"{"type":"plan","iteration":1,"time":"2026-01-02T03:04:05.678Z","nested":{"k":null,"list":[1,2.5,"x"]},"score":0.25,"steps":["a","b"]}"#
        let event = try TrajectoryEvent(jsonLine: line)
        #expect(event.type == "plan")
        #expect(event.iteration == 1)
        #expect(event.body == .other(type: "plan", fields: [
            "nested": .object(["k": .null, "list": .array([.int(1), .double(2.5), .string("x")])]), "score": .double(0.25), "steps": .array([.string("a"), .string("b")]),
        ]))
        #expect(event.jsonLine == line)
    }

    @Test func newerFieldsAreIgnoredAndFieldsOlderFilesLackTakeDefaults() throws {
        let line = #"{"type":"exec","iteration":3,"time":"2026-01-02T03:04:05.678Z","verdict":"passed","tests_passed":2,"gpu_seconds":1.5}"#
        let exec = try #require(try TrajectoryEvent(jsonLine: line).exec)
        #expect(exec.verdict == .passed)
        #expect(exec.testsPassed == 2)
        #expect(exec.testsSkipped == 0)
        #expect(exec.hiddenVerdict == nil)
        #expect(exec.tests.isEmpty)
        #expect(exec.delta == nil)
        #expect(!exec.baseline)
    }

    @Test func anEventWhoseFieldsCannotBeReadIsKeptAsWritten() throws {
        // A verdict this version does not know: the event is not lost, nor guessed at.
        let line = #"{"type":"exec","iteration":3,"time":"2026-01-02T03:04:05.678Z","tests_passed":2,"verdict":"exploded"}"#
        let event = try TrajectoryEvent(jsonLine: line)
        #expect(event.body == .other(type: "exec", fields: ["verdict": .string("exploded"), "tests_passed": .int(2)]))
        #expect(event.exec == nil)
        #expect(event.jsonLine == line)
    }

    @Test func aTrajectoryTextSkipsLinesCutShort() {
        let text = event(.restart(.init(reason: "stuck", restarts: 1))).jsonLine + "\n" + #"{"type":"feedback","iter"# + "\n"
        let events = TrajectoryEvent.events(inJSONLines: text)
        #expect(events.map(\.type) == ["restart"])
    }

    @Test func mappingFieldsChangesWhatIsWrittenAndKeepsTheType() {
        let secret = "hunter2-secret-value"
        let written = event(.feedback(.init(text: "the key is \(secret)", reason: "tests_failed")))
        let scrubbed = written.mappingFields { value in
            guard case .string(let text) = value else { return value }
            return .string(text.replacingOccurrences(of: secret, with: "[REDACTED]"))
        }
        #expect(scrubbed.feedback == .init(text: "the key is [REDACTED]", reason: "tests_failed"))
        #expect(!scrubbed.jsonLine.contains(secret))
        #expect(scrubbed.time == written.time)
    }

    @Test(arguments: TrajectorySample.all)
    func mappingFieldsWithNoChangeIsTheSameEvent(_ sample: TrajectorySample) {
        let written = event(sample.body)
        #expect(written.mappingFields { $0 }.body == written.body)
    }

    @Test func aResultThatNoLongerReadsIsKeptAsItsTransformedFields() {
        let written = event(.exec(.init(ExecOutcome(verdict: .passed))))
        let mapped = written.mappingFields { $0 == .string("passed") ? .string("[REDACTED]") : $0 }
        guard case .other(let type, let fields) = mapped.body else {
            Issue.record("expected the fields as written, got \(mapped.body)")
            return
        }
        #expect(type == "exec")
        #expect(fields["verdict"] == .string("[REDACTED]"))
    }
}
