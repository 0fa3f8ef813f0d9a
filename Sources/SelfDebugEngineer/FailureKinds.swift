import SelfDebugCore

extension EngineerError: ClassifiedError {
    /// A malformed request is bad input; a missing sandbox or toolchain is unavailable.
    public var failureKind: FailureKind {
        switch self {
        case .badRequest: .badInput
        case .unavailable: .unavailable
        }
    }
}

extension RunFolderError: ClassifiedError {
    /// A run folder that cannot be made or read: the `--out` or RUN_DIR the user gave.
    public var failureKind: FailureKind { .badInput }
}
