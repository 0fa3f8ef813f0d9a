import Foundation
import SelfDebugBench
import SelfDebugCore
import SelfDebugEngineer

/// The exit statuses, the same for every command (SPEC.md, README "Exit status"), and the one
/// mapping to them from errors and from the services' outcomes.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The tests pass (doctor: every check is healthy; replay: every version matches).
    case solved = 0
    /// Not solved within the budget (replay: a version does not match its record).
    case unsolved = 1
    /// Bad usage or bad input, a configuration file included.
    case badInput = 2
    /// The model or the sandbox could not be reached or started.
    case unavailable = 3
    /// selfdebug itself failed.
    case internalError = 4
    /// Interrupted (Ctrl-C); the run folder still holds everything up to that point.
    case interrupted = 130

    /// The status for a kind of failure.
    public init(_ kind: FailureKind) {
        switch kind {
        case .badInput: self = .badInput
        case .unavailable: self = .unavailable
        case .interrupted: self = .interrupted
        case .internalError: self = .internalError
        }
    }

    /// The status for any thrown error: what it says of itself (an ``AppError`` or another
    /// ``ClassifiedError``), an interrupt for a cancellation, and selfdebug's own failure (4) for
    /// anything else.
    public init(for error: any Error) {
        self.init(FailureKind(classifying: error))
    }

    /// The status of a finished run: solved, not solved, or the cause of its error.
    public init(for summary: RunSummary, interrupted: Bool) {
        if interrupted { self = .interrupted; return }
        switch summary.status {
        case .solved: self = .solved
        case .unsolved: self = .unsolved
        case .error: self = summary.stopReason.failureKind.map(ExitStatus.init) ?? .internalError
        }
    }

    /// The status of an engineer stage's result.
    public init(for result: EngineerResult, interrupted: Bool) {
        if interrupted || result.error == "interrupted" { self = .interrupted; return }
        switch result.status {
        case "solved": self = .solved
        case "unsolved": self = .unsolved
        // The loop ends in an error only when the model or the sandbox could not be used (interrupts are above).
        default: self = .unavailable
        }
    }

    /// The status of a benchmark run: interrupted, or unavailable when every problem of every
    /// strategy ended in an error (the model or the sandbox never worked); else 0, since a
    /// benchmark reports pass rates rather than passing.
    public init(for outcome: BenchOutcome) {
        if outcome.interrupted {
            self = .interrupted
        } else if outcome.runs.allSatisfy(\.allErrors) {
            self = .unavailable
        } else {
            self = .solved
        }
    }

    /// What to print for an error that ends a command: the error itself, and for selfdebug's own
    /// failure what to report.
    public static func message(for error: any Error, runFolder: String? = nil) -> String {
        switch error {
        case let failure as AppError:
            failure.kind == .internalError ? failure.description : "selfdebug: \(failure.description)"
        default:
            ExitStatus(for: error) == .internalError ? AppError.internalFailure(error, runFolder: runFolder).description : "selfdebug: \(error)"
        }
    }
}
