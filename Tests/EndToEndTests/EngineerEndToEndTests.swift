import Foundation
import Testing
import SelfDebugCore
import SelfDebugSandbox
import TestSupport

/// `selfdebug engineer` and the in-process pipeline example, against a scripted model.
@Suite("selfdebug engineer, end to end")
struct EngineerEndToEndTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Examples/pipeline"
    static var reference: String { (try? String(contentsOfFile: examples + "/reference.py", encoding: .utf8)) ?? "" }

    func engineer(_ request: String, server: ScriptedServer?, extra: [String] = []) async throws -> (CLI.Result, String) {
        let folder = try TemporaryFolder.make(prefix: "e2e-engineer")
        try request.write(toFile: folder + "/request.json", atomically: true, encoding: .utf8)
        let result = try await CLI.run(["engineer", "--input", "request.json", "--out", "run"] + extra, in: folder, environment: CLI.environment(server))
        return (result, folder)
    }

    @Test func turnsAPipelineRequestIntoVerifiedFiles() async throws {
        let wrong = "thermo.py\n```python\n" + Self.reference.replacingOccurrences(of: "if c < 15:", with: "if c <= 15:") + "```\n"
        let server = try ScriptedServer([.reply(wrong), .reply("thermo.py\n```python\n" + Self.reference + "```\n")])
        let request = try String(contentsOfFile: Self.examples + "/request.json", encoding: .utf8)
        let (result, folder) = try await engineer(request, server: server)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        #expect(json["status"]?.stringValue == "solved")
        #expect(json["files"]?["thermo.py"]?.stringValue == Self.reference)
        #expect(json["tests"]?["passed"]?.intValue == 6)
        #expect(json["tests"]?["failed"]?.intValue == 0)
        #expect(json["iterations"]?.intValue == 2)
        #expect((json["usage"]?["prompt_tokens"]?.intValue ?? 0) > 0)
        #expect(json["run_dir"]?.stringValue == "run")
        #expect(FileManager.default.fileExists(atPath: folder + "/run/trajectory.jsonl"))
        // The design and the task list reach the model in every turn.
        for request in server.requests() {
            let messages = request["body"]?["messages"]?.arrayValue ?? []
            #expect(messages[1]["content"]?.stringValue?.contains("# Design") == true)
            #expect(messages[1]["content"]?.stringValue?.contains("2. Write classify") == true)
        }
        #expect(server.lastUserMessages().last?.contains("test_classify[15-mild]") == true)
    }

    @Test func withoutTestsTheEngineerWritesThemFirst() async throws {
        let reply = "test_thermo.py\n```python\nfrom thermo import classify\n\ndef test_hot():\n    assert classify(30) == 'hot'\n```\n\nthermo.py\n```python\n" + Self.reference + "```\n"
        let server = try ScriptedServer([.reply(reply)])
        let request = #"{"requirement": "Classify temperatures.", "language": "python", "files": ["thermo.py"], "workspace": "out"}"#
        let (result, folder) = try await engineer(request, server: server)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        #expect(json["verified_by"]?.stringValue == "agent_tests")
        #expect(json["agent_tests"]?["test_thermo.py"] != nil)
        #expect(server.lastUserMessages().first?.contains("There are no tests") == true)
        // The workspace gets the files.
        #expect(FileManager.default.fileExists(atPath: folder + "/out/thermo.py"))
        #expect(FileManager.default.fileExists(atPath: folder + "/out/test_thermo.py"))
    }

    @Test func badRequestsExitTwoSayingWhat() async throws {
        let cases: [(String, String)] = [
            (#"{"language": "python"}"#, "missing \"requirement\""),
            (#"{"requirement": "x", "language": "cobol"}"#, "language"),
            (#"{"requirement": "x", "language": "python", "limits": {"max_iterations": 0}}"#, "max_iterations"),
            ("not json", "not valid JSON"),
        ]
        for (request, expected) in cases {
            let (result, _) = try await engineer(request, server: nil)
            #expect(result.status == 2, "\(request)")
            #expect(result.stderr.contains(expected), "\(request): \(result.stderr)")
        }
    }

    @Test func theSwiftPipelineExampleRunsInProcess() async throws {
        let server = try ScriptedServer([.reply("thermo.py\n```python\n" + Self.reference + "```\n")])
        let folder = try TemporaryFolder.make(prefix: "e2e-pipeline")
        let binary = (CLI.binary as NSString).deletingLastPathComponent + "/selfdebug-pipeline-example"
        let result = try await ProcessRunner.run(ProcessSpec(
            executable: binary, arguments: [folder + "/run"], environment: CLI.environment(server), workingDirectory: folder, timeout: 120))
        #expect(result.exitStatus == 0, "\(result.stderr.text)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.text.utf8))
        #expect(json["status"]?.stringValue == "solved")
        #expect(json["tests"]?["passed"]?.intValue == 6)
    }
}
