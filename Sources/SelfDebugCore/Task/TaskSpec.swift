import Foundation

/// A programming language selfdebug writes and tests.
public enum Language: String, Codable, Sendable, CaseIterable {
    case python
    case swift

    /// The file extension of source files in this language.
    public var fileExtension: String {
        switch self {
        case .python: "py"
        case .swift: "swift"
        }
    }

    /// The tag used on fenced code blocks.
    public var fenceTag: String { rawValue }
}

/// A task: what to build, in which language, and the tests that decide when it is done.
///
/// Built from a task file by ``TaskFileParser`` or by a pipeline stage in memory.
public struct TaskSpec: Sendable, Codable, Equatable {
    /// The task's title (the first Markdown heading), if any.
    public var title: String?
    /// The language of the solution and of the tests.
    public var language: Language
    /// Relative paths of the files the agent writes.
    public var solutionFiles: [String]
    /// The tests, by relative path. The agent never changes these.
    public var tests: [String: String]
    /// Swift only: the module the tests `@testable import`.
    public var module: String?
    /// Seconds for one sandboxed run (build and tests together).
    public var timeout: Double
    /// Model turns at most.
    public var maxIterations: Int
    /// The task as the model sees it (the Markdown body, without an inline `## Tests` section).
    public var body: String
    /// Files given to the agent as a starting point, by relative path (may be empty).
    public var startingFiles: [String: String]
    /// Where the task came from (a file path), for messages and the record.
    public var source: String?
    /// Project mode (`selfdebug fix`): the shell command whose exit status decides; the model may
    /// edit any project file that is not a test.
    public var testCommand: String?
    /// Program mode (benchmark sets): test code appended to the solution; the program's exit
    /// status decides. Not shown to the model.
    public var programTests: String?
    /// Benchmarks in honest mode: `programTests` are the examples from the task (what a user
    /// would have), and hidden tests, never shown, judge the answer.
    public var programTestsAreExamples: Bool?

    /// Creates a task.
    public init(
        title: String? = nil, language: Language, solutionFiles: [String], tests: [String: String],
        module: String? = nil, timeout: Double = 10, maxIterations: Int = 5, body: String,
        startingFiles: [String: String] = [:], source: String? = nil
    ) {
        self.title = title
        self.language = language
        self.solutionFiles = solutionFiles
        self.tests = tests
        self.module = module
        self.timeout = timeout
        self.maxIterations = maxIterations
        self.body = body
        self.startingFiles = startingFiles
        self.source = source
    }

    /// The Swift module name the tests import: the `module` key, else `@testable import X` in the
    /// tests, else the first solution file's stem with its first letter capitalised.
    public var resolvedModule: String {
        if let module, !module.isEmpty { return module }
        for (_, text) in tests.sorted(by: { $0.key < $1.key }) {
            if let name = Self.testableImport(in: text) { return name }
        }
        let stem = (solutionFiles.first.map { ($0 as NSString).lastPathComponent } ?? "Solution")
            .replacingOccurrences(of: ".swift", with: "")
        let cleaned = String(stem.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        guard let first = cleaned.first else { return "Solution" }
        return first.uppercased() + cleaned.dropFirst()
    }

    /// A short name for the task, used in run folder names.
    public var slug: String {
        let base = title ?? source.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? "task"
        let lowered = base.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let collapsed = String(lowered).split(separator: "-").joined(separator: "-")
        return String(collapsed.prefix(40)).isEmpty ? "task" : String(collapsed.prefix(40))
    }

    static func testableImport(in text: String) -> String? {
        let prefix = "@testable import "
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(prefix) {
                return trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
