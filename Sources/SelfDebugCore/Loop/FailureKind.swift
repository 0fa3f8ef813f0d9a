import Foundation

/// Why a command failed, as far as its exit status is concerned (README, "Exit status"): the
/// user's input, a service outside selfdebug, an interrupt, or selfdebug itself.
public enum FailureKind: String, Sendable, Equatable, CaseIterable {
    /// Bad usage or bad input: a task file, a configuration file, a request, an option (exit 2).
    case badInput = "bad_input"
    /// The model or the sandbox could not be reached or started (exit 3).
    case unavailable
    /// The user interrupted the command (exit 130).
    case interrupted
    /// selfdebug itself failed: a bug to report (exit 4).
    case internalError = "internal_error"

    /// The kind of any thrown error: what the error says of itself (``ClassifiedError``), an
    /// interrupt for a cancellation, and selfdebug's own failure for anything it does not know.
    public init(classifying error: any Error) {
        if let classified = error as? any ClassifiedError {
            self = classified.failureKind
        } else if error is CancellationError {
            self = .interrupted
        } else {
            self = .internalError
        }
    }
}

/// An error that knows which ``FailureKind`` it is; every error type a user can meet conforms,
/// so that anything else is, honestly, selfdebug's own failure.
public protocol ClassifiedError: Error {
    /// What kind of failure this is.
    var failureKind: FailureKind { get }
}

extension StopReason {
    /// The failure a run that stopped for this reason reports; nil when the run solved the task or
    /// used up its budget (not a failure: "not solved").
    public var failureKind: FailureKind? {
        switch self {
        case .solved, .maxIterations, .budget: nil
        // The loop stops with these only for a model or an executor that could not be used.
        case .modelError, .executorError: .unavailable
        case .interrupted: .interrupted
        }
    }
}

extension TaskFileError: ClassifiedError {
    /// A task or configuration file the user wrote: bad input.
    public var failureKind: FailureKind { .badInput }
}

extension ModelError: ClassifiedError {
    /// A cancelled call is an interrupt; any other failure is the model's (unreachable, refusing,
    /// answering what cannot be read).
    public var failureKind: FailureKind { code == .cancelled ? .interrupted : .unavailable }
}
