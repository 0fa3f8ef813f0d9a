import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Where generated code runs.
public enum SandboxChoice: String, Sendable, CaseIterable {
    /// Isolated by bubblewrap (the default).
    case bubblewrap
    /// Resource limits and tree-kill only, no isolation (a warning says so on every run).
    case none
}

/// How a run goes, as the user chose it (the CLI fills it from its flags, the MCP server from its
/// flags and a call's arguments). Unset values come from the task, then the configuration files.
public struct RunSettings: Sendable, Equatable {
    /// Model turns at most (over the task's `max_iterations`).
    public var maxIterations: Int?
    /// Seconds for one sandboxed run, build and tests (over the task's `timeout`).
    public var timeout: Double?
    /// The run folder (default: `selfdebug-runs/<UTC time>-<slug>/`).
    public var out: String?
    /// Where generated code runs.
    public var sandbox: SandboxChoice = .bubblewrap
    /// Memory (address space) for the code, in MiB.
    public var memoryLimit = 2048
    /// CPU seconds for one run (default: the timeout).
    public var cpuLimit: Int?
    /// Largest file the code may write, in MiB.
    public var fileSizeLimit = 64
    /// Processes and threads the code may have.
    public var processLimit = 256
    /// Open files the code may have.
    public var openFilesLimit = 256
    /// KiB kept from the start and from the end of each output stream.
    public var outputLimit = 16
    /// What the model is told after a failed run (default: the configuration's, else `tests`).
    public var feedback: FeedbackMode?
    /// The most tokens the run may spend.
    public var maxTokens: Int?
    /// The most US dollars the run may spend (needs the model's price).
    public var maxCost: Double?
    /// The model's context in tokens.
    public var contextTokens: Int?
    /// The sampling temperature of repair turns.
    public var repairTemperature: Double?
    /// What the model sees of earlier turns (default `full`).
    public var conversation: ConversationStyle?
    /// Whether failing tests run a second time to spot flaky ones.
    public var rerunFailures = true
    /// Whether a model that repeats itself gets a fresh attempt.
    public var restartWhenStuck = true

    /// The defaults: everything from the task and the configuration files.
    public init() {}

    /// The kernel limits for one run of `timeout` seconds; a limit below 1 is bad usage (exit 2).
    public func limits(timeout: Double) throws -> ResourceLimits {
        for (name, value) in [("--memory-limit", memoryLimit), ("--cpu-limit", cpuLimit ?? 1), ("--file-size-limit", fileSizeLimit),
                              ("--process-limit", processLimit), ("--open-files-limit", openFilesLimit), ("--output-limit", outputLimit)] where value < 1 {
            throw AppError(.badInput, "\(name) must be at least 1, not \(value)")
        }
        var limits = ResourceLimits()
        limits.memoryBytes = memoryLimit << 20
        limits.cpuSeconds = cpuLimit ?? max(1, Int(timeout.rounded(.up)))
        limits.fileSizeBytes = fileSizeLimit << 20
        limits.processes = processLimit
        limits.openFiles = openFilesLimit
        limits.outputHeadTailBytes = outputLimit << 10
        return limits
    }
}
