import Foundation

// How a process ran, as recorded: the sandbox produces these, the loop and its records read them.
// A module of its own so that the sandbox does not depend on the loop (SelfDebugCore) and the loop
// does not depend on the sandbox.

/// Captured output of a process: head and tail kept, the cut said.
public struct CapturedText: Codable, Sendable, Equatable {
    /// The kept text; when cut, head and tail joined by a marker line.
    public var text: String
    /// Bytes the process wrote in all.
    public var totalBytes: Int
    /// Whether the middle was cut.
    public var truncated: Bool
    /// Bytes kept from the start and from the end when cut.
    public var keptHeadBytes: Int
    /// Bytes kept from the end when cut.
    public var keptTailBytes: Int

    /// Creates a capture.
    public init(text: String, totalBytes: Int? = nil, truncated: Bool = false, keptHeadBytes: Int = 0, keptTailBytes: Int = 0) {
        self.text = text
        self.totalBytes = totalBytes ?? text.utf8.count
        self.truncated = truncated
        self.keptHeadBytes = keptHeadBytes
        self.keptTailBytes = keptTailBytes
    }

    /// No output.
    public static let empty = CapturedText(text: "")
}

/// One process run as part of an execution (a build or a test run).
public struct CommandRun: Codable, Sendable, Equatable {
    /// `build` or `test`.
    public var phase: String
    /// The command as run (inside the sandbox when there is one).
    public var command: [String]
    /// The exit status, when the process exited.
    public var exitStatus: Int32?
    /// The signal that ended it, when one did.
    public var signal: Int32?
    /// Whether the wall-clock limit was hit and the tree killed.
    public var timedOut: Bool
    /// Seconds from start to end.
    public var durationSeconds: Double
    /// Standard output.
    public var stdout: CapturedText
    /// Standard error.
    public var stderr: CapturedText
    /// Limits that were hit, in plain words ("timed out after 5 s").
    public var limitsHit: [String]
    /// The run was stopped because the user interrupted selfdebug (Ctrl-C), not by its own doing.
    public var interrupted: Bool?
    /// How the process ended could not be learnt (its status was reaped elsewhere): never a success.
    public var statusUnknown: Bool?

    /// Creates a record.
    public init(
        phase: String, command: [String], exitStatus: Int32?, signal: Int32? = nil, timedOut: Bool = false,
        durationSeconds: Double, stdout: CapturedText = .empty, stderr: CapturedText = .empty, limitsHit: [String] = []
    ) {
        self.phase = phase
        self.command = command
        self.exitStatus = exitStatus
        self.signal = signal
        self.timedOut = timedOut
        self.durationSeconds = durationSeconds
        self.stdout = stdout
        self.stderr = stderr
        self.limitsHit = limitsHit
    }

    /// Whether it exited with status 0 (a lost status, an interruption or a time-out never is).
    public var succeeded: Bool { exitStatus == 0 && signal == nil && !timedOut && statusUnknown != true && interrupted != true }

    /// How it ended, in plain words: `exited with status 1`, `killed by signal 9 (SIGKILL)`.
    public var endedHow: String {
        if interrupted == true { return "stopped because selfdebug was interrupted" }
        if statusUnknown == true { return "ended with an unknown status (it was reaped elsewhere; not counted as a success)" }
        if timedOut { return "timed out" }
        if let signal { return "killed by signal \(signal) (\(CommandRun.signalName(signal)))" }
        return "exited with status \(exitStatus.map(String.init) ?? "unknown")"
    }
}

extension CommandRun {
    /// A signal's name, with what it usually means for the code under test.
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 4: "SIGILL, a Swift runtime trap such as a failed precondition, overflow or index out of range"
        case 5: "SIGTRAP, a Swift runtime trap"
        case 6: "SIGABRT"
        case 7: "SIGBUS"
        case 8: "SIGFPE"
        case 9: "SIGKILL"
        case 11: "SIGSEGV, a bad memory access or stack overflow"
        case 15: "SIGTERM"
        case 24: "SIGXCPU, the CPU time limit"
        case 25: "SIGXFSZ, the file size limit"
        default: "signal \(signal)"
        }
    }

    /// Seconds in plain words: `5 s`, `2.5 s`.
    public static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
