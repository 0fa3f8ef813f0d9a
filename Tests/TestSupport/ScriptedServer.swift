import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// The scripted OpenAI-compatible server (Tests/Support/scripted_openai_server.py) on 127.0.0.1:
/// answers each chat completion with the next step of its script and logs every request.
/// It stops when this object goes away, and by itself when idle or orphaned.
public final class ScriptedServer: @unchecked Sendable {
    /// One scripted answer.
    public enum Step: Sendable {
        /// A completion with this text (streamed when the request asks).
        case reply(String)
        /// An HTTP error status, with headers and an optional error message.
        case status(Int, headers: [String: String] = [:], message: String? = nil)
        /// Close the connection without answering.
        case drop
        /// Wait, then reply.
        case delayed(Double, String)
        /// Answer nothing; the server reports `closed` when the client hangs up.
        case hang
        /// Stream the first piece of the reply, report `held`, and send the rest after ``release()``.
        case held(String)
        /// Stream the reply's pieces this many seconds apart.
        case trickled(String, gap: Double)
        /// Send `100 Continue` (with an `X-Interim` header) before the reply.
        case afterContinue(String)

        var json: JSONValue {
            switch self {
            case .reply(let text): .object(["reply": .string(text)])
            case .status(let code, let headers, let message):
                .object([
                    "status": .int(code), "headers": .object(headers.mapValues { .string($0) }),
                    "body": .object(["error": .object(["message": .string(message ?? "scripted failure \(code)")])]),
                ])
            case .drop: .object(["drop": .bool(true)])
            case .delayed(let seconds, let text): .object(["delay": .double(seconds), "reply": .string(text)])
            case .hang: .object(["hang": .bool(true)])
            case .held(let text): .object(["reply": .string(text), "hold": .bool(true)])
            case .trickled(let text, let gap): .object(["reply": .string(text), "gap": .double(gap)])
            case .afterContinue(let text): .object(["reply": .string(text), "interim": .bool(true)])
            }
        }
    }

    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// `http://127.0.0.1:PORT`, as `ANTHROPIC_BASE_URL` is given (the client adds /v1/messages).
    public var rootURL: String { "http://127.0.0.1:\(port)" }
    let process: SpawnedProcess
    let logPath: String
    let events: ServerEvents

    /// Starts the server with `steps`.
    public convenience init(_ steps: [Step]) throws {
        let folder = try TemporaryFolder.make(prefix: "scripted-server")
        let scriptPath = folder + "/script.json"
        try JSONValue.array(steps.map(\.json)).serialized().write(toFile: scriptPath, atomically: true, encoding: .utf8)
        try self.init(arguments: ["--script", scriptPath], folder: folder)
    }

    /// Starts the server answering each problem of a benchmark set wrong first and with its
    /// canonical solution after.
    public convenience init(canonical dataset: String) throws {
        try self.init(arguments: ["--canonical", dataset], folder: try TemporaryFolder.make(prefix: "scripted-server"))
    }

    init(arguments: [String], folder: String) throws {
        logPath = folder + "/requests.jsonl"
        // Started like every process of the project (ProcessRunner): its own process group, which
        // stop() kills, and a clean signal mask.
        let process = try ProcessRunner.spawn(
            "/usr/bin/env", arguments: ["python3", Self.scriptPath] + arguments + ["--log", logPath, "--idle", "300"],
            environment: ProcessInfo.processInfo.environment, standardInput: .pipe, standardOutput: .pipe)
        self.process = process
        let output = process.standardOutput!  // a pipe: asked for above
        var text = ""
        let deadline = Date().addingTimeInterval(120)  // python3 starting on a busy machine
        while !text.contains("\n"), Date() < deadline {
            let data = output.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let newline = text.firstIndex(of: "\n"), text.hasPrefix("PORT "), let port = Int(text[text.index(text.startIndex, offsetBy: 5)..<newline]) else {
            process.stop()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the scripted server did not start: \(text)"])
        }
        self.port = port
        events = ServerEvents(reading: output, after: String(text[text.index(after: newline)...]))
    }

    deinit { stop() }

    /// Stops the server: its process group, and only that.
    public func stop() {
        process.stop()
    }

    /// Returns once the server has reported `event` (`request`, `closed`, `held`) at least `count`
    /// times in all. Put a time limit on the test: this waits for the event, not for a clock.
    public func waitFor(_ event: String, count: Int = 1) async {
        await events.wait(for: event, count: count)
    }

    /// Lets a ``Step/held(_:)`` stream go on.
    public func release() {
        process.standardInput?.write(Data("release\n".utf8))
    }

    /// The requests received so far: `path`, `authorization` and the JSON `body` of each.
    public func requests() -> [JSONValue] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    /// The text of the last message of each chat request, in order.
    public func lastUserMessages() -> [String] {
        requests().compactMap { $0["body"]?["messages"]?.arrayValue?.last?["content"]?.stringValue }
    }

    /// Small benchmark fixtures inside the repository (Tests/Fixtures/benchdata: the first
    /// problems of each public set, licences in its README), so a clean clone tests itself.
    public static var benchdata: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/benchdata").path
    }

    static var scriptPath: String { supportPath("scripted_openai_server.py") }

    /// A file of Tests/Support.
    static func supportPath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/\(name)").path
    }
}

/// The `EVENT <name>` lines a scripted server prints, read on a thread of their own (blocking
/// reads stay off Swift's cooperative pool), and the tasks waiting for them.
final class ServerEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: Int] = [:]
    private var waiters: [(event: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(reading output: FileHandle, after start: String) {
        let thread = Thread { [self] in
            var pending = start
            while true {
                while let newline = pending.firstIndex(of: "\n") {
                    let line = pending[..<newline]
                    if line.hasPrefix("EVENT ") { note(String(line.dropFirst(6))) }
                    pending.removeSubrange(...newline)
                }
                let data = output.availableData
                if data.isEmpty { return }
                pending += String(decoding: data, as: UTF8.self)
            }
        }
        thread.start()
    }

    private func note(_ event: String) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            seen[event, default: 0] += 1
            let count = seen[event]!
            let (done, rest) = (waiters.filter { $0.event == event && $0.count <= count }, waiters.filter { !($0.event == event && $0.count <= count) })
            waiters = rest
            return done.map(\.continuation)
        }
        ready.forEach { $0.resume() }
    }

    func wait(for event: String, count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if seen[event, default: 0] >= count { return true }
                waiters.append((event, count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// Temporary folders for tests.
public enum TemporaryFolder {
    /// A new empty folder under the system's temporary folder.
    public static func make(prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `files` (relative paths) under `folder`.
    public static func write(_ files: [String: String], in folder: String) throws {
        for (name, content) in files {
            let full = (folder as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }
}
