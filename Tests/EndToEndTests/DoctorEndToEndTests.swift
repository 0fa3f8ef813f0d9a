import Foundation
import Testing
import SelfDebugCore
import TestSupport

@Suite("selfdebug doctor, end to end")
struct DoctorEndToEndTests {
    @Test func healthyWhenTheModelIsListedAndTheSandboxStarts() async throws {
        let server = try ScriptedServer([])
        let result = try await CLI.run(["doctor", "--model", "scripted-model", "--json"], in: NSTemporaryDirectory(), environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stdout)")
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        let names = report["checks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names == ["config", "model", "sandbox", "python", "pytest", "swiftc", "module cache"])
        #expect(report["checks"]?.arrayValue?.allSatisfy { $0["ok"]?.boolValue == true } == true)
    }

    @Test func unlistedModelFailsWithTheFix() async throws {
        let server = try ScriptedServer([])
        let result = try await CLI.run(["doctor", "--model", "no-such-model"], in: NSTemporaryDirectory(), environment: CLI.environment(server))
        #expect(result.status == 3)
        #expect(result.stdout.contains("FAIL model"))
        #expect(result.stdout.contains("does not list model 'no-such-model'"))
        #expect(result.stdout.contains("fix: pass --model"))
    }

    @Test func aBrokenConfigurationFileIsNamed() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-doctor-config")
        try TemporaryFolder.write([".selfdebug.yml": "model: gpt-4o-mini\nmax_iterations: zero\n"], in: folder)
        let result = try await CLI.run(["doctor"], in: folder, environment: CLI.environment(nil))
        #expect(result.status == 2)  // bad input, as for every command
        #expect(result.stdout.contains("FAIL config"))
        #expect(result.stdout.contains(".selfdebug.yml:2: 'max_iterations' must be a whole number"))
    }

    @Test func unreachableEndpointFails() async throws {
        let result = try await CLI.run(["doctor", "--base-url", "http://127.0.0.1:9/v1"], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(result.status == 3)
        #expect(result.stdout.contains("FAIL model"))
    }
}
