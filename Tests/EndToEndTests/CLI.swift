import Foundation
import SelfDebugCore
import SelfDebugSandbox
import TestSupport

/// Runs the built `selfdebug` binary.
enum CLI {
    struct Result {
        var status: Int32?
        var stdout: String
        var stderr: String
    }

    /// The binary next to the test bundle (SwiftPM builds it first: the test target depends on it).
    static var binary: String {
        let candidates = [
            (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/selfdebug",
            ((CommandLine.arguments[0] as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent + "/selfdebug",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/.build/debug/selfdebug",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// The environment for a run against `server`: no real keys of the caller's, a test key.
    static func environment(_ server: ScriptedServer?, extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "TMPDIR", "LANG"].contains($0.key) }
        if let server { environment["OPENAI_BASE_URL"] = server.baseURL }
        environment["OPENAI_API_KEY"] = "sk-e2e-secret-key-0123456789"
        environment.merge(extra) { _, new in new }
        return environment
    }

    static func run(_ arguments: [String], in folder: String, environment: [String: String], timeout: Double = 180) async throws -> Result {
        let spec = ProcessSpec(executable: binary, arguments: arguments, environment: environment, workingDirectory: folder, timeout: timeout)
        let result = try await ProcessRunner.run(spec)
        return Result(status: result.exitStatus, stdout: result.stdout.text, stderr: result.stderr.text)
    }

    /// Every event of a run folder's trajectory.
    static func events(_ runFolder: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: runFolder + "/trajectory.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    static func summary(_ runFolder: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: runFolder + "/summary.json")))
    }

    /// All text under a folder, to check that no secret was written.
    static func allText(under folder: String) -> String {
        var text = ""
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let item = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + item) { text += String(decoding: data, as: UTF8.self) }
        }
        return text
    }

    /// Runs git in `folder` (for projects the fix tests make).
    @discardableResult
    static func git(_ arguments: [String], in folder: String) async throws -> ProcessResult {
        try await ProcessRunner.run(ProcessSpec(executable: "/usr/bin/git", arguments: arguments,
                                                environment: ProcessInfo.processInfo.environment, workingDirectory: folder, timeout: 120))
    }

    /// A new folder `proj` holding `files`, committed to a new git repository.
    static func committedProject(_ files: [String: String], prefix: String) async throws -> String {
        let folder = try TemporaryFolder.make(prefix: prefix) + "/proj"
        try TemporaryFolder.write(files, in: folder)
        for arguments in [["init", "-q"], ["add", "-A"], ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init"]] {
            try await git(arguments, in: folder)
        }
        return folder
    }
}
