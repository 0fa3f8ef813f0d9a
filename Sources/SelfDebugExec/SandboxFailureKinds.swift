import SelfDebugCore
import SelfDebugSandbox

extension SandboxUnavailable: ClassifiedError {
    /// The sandbox cannot start here.
    public var failureKind: FailureKind { .unavailable }
}

extension ToolchainError: ClassifiedError {
    /// A tool the sandbox needs is missing.
    public var failureKind: FailureKind { .unavailable }
}

extension ProcessLaunchError: ClassifiedError {
    /// A process could not be started (no pipes, no processes left).
    public var failureKind: FailureKind { .unavailable }
}
