import Foundation
import SelfDebugProcessRecord

/// Resource limits for one sandboxed command. Each is enforced by the kernel inside the sandbox.
public struct ResourceLimits: Sendable, Codable, Equatable {
    /// CPU seconds (SIGXCPU at the limit, SIGKILL a second later).
    public var cpuSeconds: Int = 60
    /// Address space in bytes (allocations beyond fail: MemoryError in Python, a crash in Swift).
    public var memoryBytes: Int = 2 << 30
    /// Largest file the code may write, in bytes (SIGXFSZ).
    public var fileSizeBytes: Int = 64 << 20
    /// Processes and threads of the sandbox's user.
    public var processes: Int = 256
    /// Open file descriptors.
    public var openFiles: Int = 256
    /// Bytes of each output stream kept from the start and from the end.
    public var outputHeadTailBytes: Int = 16_384

    /// The defaults.
    public init() {}

    /// The limits in plain words, for the run's start.
    public var summary: String {
        "cpu \(cpuSeconds) s, memory \(Self.size(memoryBytes)), file size \(Self.size(fileSizeBytes)), "
            + "processes \(processes), open files \(openFiles), output: first and last \(Self.size(outputHeadTailBytes)) of each stream kept"
    }

    /// `1 GiB`, `64 MiB`, `16 KiB`.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// The `prlimit` arguments that set these limits on the command that follows.
    var prlimitArguments: [String] {
        [
            "--cpu=\(cpuSeconds):\(cpuSeconds + 1)", "--as=\(memoryBytes)", "--fsize=\(fileSizeBytes)",
            "--nproc=\(processes)", "--nofile=\(openFiles)", "--core=0", "--",
        ]
    }
}

/// One command to run in a sandbox.
public struct SandboxCommand: Sendable {
    /// `build` or `test`.
    public var phase: String
    /// The program (absolute path) and its arguments.
    public var argv: [String]
    /// The writable workspace the command starts in (a host path).
    public var workspace: String
    /// Host folders the command may read, beyond the system and toolchain folders.
    public var readOnlyPaths: [String]
    /// Host folders the command may write besides the workspace (a compiler cache).
    public var writablePaths: [String]
    /// Variables set for the command; nothing else of the caller's environment passes.
    public var environment: [String: String]
    /// Wall-clock seconds.
    public var timeout: Double
    /// Kernel limits.
    public var limits: ResourceLimits

    /// Creates a command.
    public init(
        phase: String, argv: [String], workspace: String, readOnlyPaths: [String] = [], writablePaths: [String] = [],
        environment: [String: String] = [:], timeout: Double, limits: ResourceLimits
    ) {
        self.phase = phase
        self.argv = argv
        self.workspace = workspace
        self.readOnlyPaths = readOnlyPaths
        self.writablePaths = writablePaths
        self.environment = environment
        self.timeout = timeout
        self.limits = limits
    }
}

/// The seam where generated code runs.
public protocol Sandbox: Sendable {
    /// What is enforced, in plain words, for the run's start and the record.
    var description: String { get }
    /// Runs the command and reports how it ended, with the limits hit in plain words.
    func run(_ command: SandboxCommand) async throws -> CommandRun
}

/// Runs commands without isolation: kernel limits (via `prlimit`), a scrubbed environment and
/// tree-kill on timeout only. Chosen explicitly with `--sandbox none`.
public struct UnisolatedSandbox: Sandbox {
    let prlimit: String

    /// Creates the runner; throws when `prlimit` is missing.
    public init() throws {
        guard let prlimit = Toolchain.find("prlimit") else {
            throw ToolchainError(tool: "prlimit", hint: "apt-get install -y util-linux")
        }
        self.prlimit = prlimit
    }

    /// Says what is and is not enforced.
    public var description: String {
        "none (--sandbox none): resource limits, scrubbed environment and tree-kill only; NO isolation of network, files or processes"
    }

    /// Runs the command under `prlimit`.
    public func run(_ command: SandboxCommand) async throws -> CommandRun {
        var spec = ProcessSpec(
            executable: prlimit, arguments: command.limits.prlimitArguments + command.argv,
            environment: command.environment, workingDirectory: command.workspace, timeout: command.timeout)
        spec.keepHeadBytes = command.limits.outputHeadTailBytes
        spec.keepTailBytes = command.limits.outputHeadTailBytes
        let result = try await ProcessRunner.run(spec)
        return CommandRun(result: result, command: command)
    }
}

extension CommandRun {
    /// A record of `result`, naming the limits it hit in plain words.
    init(result: ProcessResult, command: SandboxCommand) {
        var hits: [String] = []
        if result.timedOut { hits.append("timed out after \(CommandRun.seconds(command.timeout))") }
        switch result.signal {
        case 24: hits.append("killed: CPU limit \(command.limits.cpuSeconds) s")
        case 25: hits.append("killed: file size limit \(ResourceLimits.size(command.limits.fileSizeBytes))")
        default: break
        }
        let combined = result.stdout.text + result.stderr.text
        if combined.contains("MemoryError") || combined.contains("Cannot allocate memory") || combined.contains("std::bad_alloc") {
            hits.append("memory limit \(ResourceLimits.size(command.limits.memoryBytes)) reached")
        }
        if combined.contains("Resource temporarily unavailable") || combined.contains("BlockingIOError") {
            hits.append("process limit \(command.limits.processes) may have been reached")
        }
        for (name, capture) in [("stdout", result.stdout), ("stderr", result.stderr)] where capture.truncated {
            hits.append("output cut: \(name) \(ResourceLimits.size(capture.totalBytes)), first and last \(ResourceLimits.size(capture.keptHeadBytes)) kept")
        }
        if result.statusUnknown { hits.append("exit status unknown: the process was reaped elsewhere") }
        self.init(
            phase: command.phase, command: command.argv, exitStatus: result.exitStatus, signal: result.signal,
            timedOut: result.timedOut, durationSeconds: result.duration, stdout: result.stdout, stderr: result.stderr, limitsHit: hits)
        if result.cancelled { interrupted = true }
        if result.statusUnknown { statusUnknown = true }
    }
}
