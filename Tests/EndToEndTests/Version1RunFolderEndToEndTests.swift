import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// A run folder written before the trajectory had a schema version (Tests/Fixtures/trajectory-v1)
/// still shows and resumes.
@Suite("Version 1 run folders, end to end")
struct Version1RunFolderEndToEndTests {
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/trajectory-v1").path
    }

    @Test func showTellsItsStory() async throws {
        let result = try await CLI.run(["show", Self.fixture], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Mean (python) · model gpt-4o-mini"))
        #expect(result.stdout.contains("ran: tests_failed, tests 1/2"))
        #expect(result.stdout.contains("ran: passed, tests 2/2"))
        #expect(result.stdout.contains("solved (solved) after 2 iterations"))
    }

    @Test func resumeServesEveryReplyFromItAndWritesVersion2() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-v1-resume")
        let server = try ScriptedServer([])
        let result = try await CLI.run(["solve", "--resume", Self.fixture, "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 recorded replies to serve"))
        #expect(server.requests().isEmpty)
        let events = try CLI.events(folder + "/run")
        #expect(events.first?["schema_version"]?.intValue == TrajectoryEvent.schemaVersion)
        #expect(events.filter { $0["type"]?.stringValue == "llm_response" }.map { $0["replayed"]?.boolValue } == [true, true])
    }
}
