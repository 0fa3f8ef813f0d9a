import Foundation

/// A problem with a task file: where it is, what is wrong and how to fix it.
public struct TaskFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The task file's path as the user gave it.
    public var path: String
    /// The 1-based line in the file, when known.
    public var line: Int?
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// Creates an error.
    public init(path: String, line: Int? = nil, message: String, hint: String? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    /// `path:line: message`, then the hint on its own line.
    public var description: String {
        var text = line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)"
        if let hint { text += "\n  fix: \(hint)" }
        return text
    }
}

/// A non-fatal remark about a task file (for example an unknown key).
public struct TaskFileWarning: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line, when known.
    public var line: Int?
    /// What was noticed.
    public var message: String
    /// The task file's path.
    public var path: String

    /// `path:line: warning: message`.
    public var description: String {
        line.map { "\(path):\($0): warning: \(message)" } ?? "\(path): warning: \(message)"
    }
}
