import Foundation
import SelfDebugCore

/// A failure the user must hear about, from any of the application's services: its kind, which
/// decides the exit status (``ExitStatus/init(_:)``), and a message that says what is wrong,
/// where, and how to fix it.
public struct AppError: ClassifiedError, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is: bad input (2), unavailable (3), interrupted (130) or
    /// selfdebug's own (4).
    public var kind: FailureKind
    /// The message for the user: what is wrong, where, and how to fix it.
    public var description: String

    /// A failure of `kind`, told with `message`.
    public init(_ kind: FailureKind, _ message: String) {
        self.kind = kind
        description = message
    }

    /// The kind, for ``FailureKind/init(classifying:)``.
    public var failureKind: FailureKind { kind }

    /// selfdebug's own failure (exit 4): the error, and what to report (the run folder when there
    /// is one, and the command line, so the report can be reproduced).
    public static func internalFailure(_ error: any Error, runFolder: String? = nil, commandLine: [String] = CommandLine.arguments) -> AppError {
        let command = commandLine.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        return AppError(
            .internalError,
            "selfdebug failed internally: \(error). Please report this"
                + (runFolder.map { " with the run folder \($0)" } ?? "") + " and the command you ran (\(command)).")
    }
}
