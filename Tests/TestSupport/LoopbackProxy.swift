import Foundation

/// A forward HTTP proxy on 127.0.0.1 (Tests/Support/loopback_proxy.py) that logs every request
/// it forwards; for checking that selfdebug honours `http_proxy` and `NO_PROXY`.
public final class LoopbackProxy: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`, the value for `http_proxy`.
    public var url: String { "http://127.0.0.1:\(port)" }
    let process: Process
    let logPath: String

    /// Starts the proxy.
    public init() throws {
        let folder = try TemporaryFolder.make(prefix: "loopback-proxy")
        logPath = folder + "/forwarded.log"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", ScriptedServer.supportPath("loopback_proxy.py"), "--log", logPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the loopback proxy did not start: \(line)"])
        }
        self.port = port
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// `METHOD absolute-URL` of each request forwarded so far (logged before forwarding).
    public func forwarded() -> [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
