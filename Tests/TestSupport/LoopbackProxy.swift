import Foundation
import SelfDebugSandbox

/// A forward HTTP proxy on 127.0.0.1 (Tests/Support/loopback_proxy.py) that logs every request
/// it forwards; for checking that selfdebug honours `http_proxy` and `NO_PROXY`.
public final class LoopbackProxy: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`, the value for `http_proxy`.
    public var url: String { "http://127.0.0.1:\(port)" }
    let process: SpawnedProcess  // stopped (its whole group) when this goes away
    let logPath: String

    /// Starts the proxy.
    public init() throws {
        let folder = try TemporaryFolder.make(prefix: "loopback-proxy")
        logPath = folder + "/forwarded.log"
        let process = try ProcessRunner.spawn(
            "/usr/bin/env", arguments: ["python3", ScriptedServer.supportPath("loopback_proxy.py"), "--log", logPath],
            environment: ProcessInfo.processInfo.environment, standardOutput: .pipe)
        self.process = process
        let line = String(decoding: process.standardOutput?.availableData ?? Data(), as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.stop()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the loopback proxy did not start: \(line)"])
        }
        self.port = port
    }

    /// `METHOD absolute-URL` of each request forwarded so far (logged before forwarding).
    public func forwarded() -> [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
