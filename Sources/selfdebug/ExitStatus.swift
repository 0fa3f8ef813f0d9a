import ArgumentParser
import Foundation
import SelfDebugCore

/// Exit statuses, the same for every command (SPEC.md, README "Exit status").
enum ExitStatus: Int32 {
    case solved = 0
    case unsolved = 1
    case badInput = 2
    case unavailable = 3
    case internalError = 4
    case interrupted = 130

    /// The status for a kind of failure.
    init(_ kind: FailureKind) {
        switch kind {
        case .badInput: self = .badInput
        case .unavailable: self = .unavailable
        case .interrupted: self = .interrupted
        case .internalError: self = .internalError
        }
    }

    /// The one mapping from any error a command throws to its exit status: a ``CommandFailure``
    /// says its own; argument errors are bad usage; typed errors say their ``FailureKind``;
    /// anything else is selfdebug's own failure (4).
    init(for error: any Error) {
        switch error {
        case let failure as CommandFailure: self = failure.status
        case let code as ExitCode: self = ExitStatus(rawValue: code.rawValue) ?? (code.rawValue == 0 ? .solved : .internalError)
        case is ValidationError: self = .badInput
        default: self = ExitStatus(FailureKind(classifying: error))
        }
    }

    /// The status of a finished run: solved, not solved, or the cause of its error.
    init(for summary: RunSummary, interrupted: Bool) {
        if interrupted { self = .interrupted; return }
        switch summary.status {
        case .solved: self = .solved
        case .unsolved: self = .unsolved
        case .error: self = summary.stopReason.failureKind.map(ExitStatus.init) ?? .internalError
        }
    }

    /// What to print for an error that ends the command with this status: the error itself, and
    /// for selfdebug's own failure what to report.
    static func message(for error: any Error, runFolder: String? = nil) -> String {
        switch error {
        case let failure as CommandFailure:
            failure.status == .internalError ? failure.description : "selfdebug: \(failure.description)"
        case is ValidationError:
            SelfDebug.fullMessage(for: error)
        default:
            ExitStatus(for: error) == .internalError ? CommandFailure.internalError(error, runFolder: runFolder).description : "selfdebug: \(error)"
        }
    }
}

extension CommandFailure {
    /// selfdebug's own failure (exit 4), saying what to report.
    static func internalError(_ error: any Error, runFolder: String? = nil) -> CommandFailure {
        let command = CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        return CommandFailure(
            status: .internalError,
            description: "selfdebug failed internally: \(error). Please report this"
                + (runFolder.map { " with the run folder \($0)" } ?? "") + " and the command you ran (\(command)).")
    }
}
