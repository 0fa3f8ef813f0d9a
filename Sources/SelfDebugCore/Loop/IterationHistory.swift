import Foundation

/// How much the model is told after a failed run: the feedback modes of Self-Debug
/// (Chen et al., 2023), chosen with `--feedback`.
public enum FeedbackMode: String, Codable, Sendable, CaseIterable {
    /// Only that the tests fail ("2 of 5 tests failed."), no details.
    case simple
    /// The structured failures: assertions with both sides, tracebacks, compiler errors (the default).
    case tests
    /// The failures, and the model is asked to explain the failing code line by line against the
    /// failing test, rubber-duck style, before fixing it.
    case explain
    /// The failures plus an execution trace of the first failing test (Python): variable values at
    /// each block of the solution, as LDB does.
    case trace
}

/// Which tests a version fixed and which it broke, compared with the version before.
public struct TestDelta: Codable, Sendable, Equatable {
    /// Tests failing before and passing now.
    public var fixed: [String]
    /// Tests passing before and failing now.
    public var broke: [String]

    /// Compares two outcomes by test name.
    public init(from previous: ExecOutcome?, to current: ExecOutcome) {
        guard let previous else {
            fixed = []
            broke = []
            return
        }
        let before = Dictionary(previous.tests.map { ($0.name, $0.passed) }, uniquingKeysWith: { first, _ in first })
        fixed = current.tests.filter { $0.passed && before[$0.name] == false }.map(\.name)
        broke = current.tests.filter { !$0.passed && before[$0.name] == true }.map(\.name)
    }

    /// Nothing changed.
    public var isEmpty: Bool { fixed.isEmpty && broke.isEmpty }

    /// "Since your previous version: fixed 3 (a, b, c); broke 1: test_even."
    public var sentence: String? {
        guard !isEmpty else { return nil }
        var parts: [String] = []
        if !fixed.isEmpty { parts.append("fixed \(fixed.count) (\(Self.names(fixed)))") }
        if !broke.isEmpty { parts.append("broke \(broke.count): \(Self.names(broke))") }
        return "Since your previous version: " + parts.joined(separator: "; ") + "."
    }

    static func names(_ names: [String]) -> String {
        names.count <= 6 ? names.joined(separator: ", ") : names.prefix(6).joined(separator: ", ") + ", and \(names.count - 6) more"
    }
}

/// The versions and outcomes of a run so far: what stuck detection and test deltas need.
struct IterationHistory {
    /// Each executed version's files (``normalized(_:)``), with the iteration it ran in.
    private(set) var versions: [(iteration: Int, files: [String: String])] = []
    /// The latest outcome.
    private(set) var lastOutcome: ExecOutcome?
    /// The latest outcome of the current attempt: nil right after a fresh start, so that a fresh
    /// attempt's first failure is told to the model even when it looks like the failure before the
    /// restart (it is new code, and nothing was said of it yet).
    private var lastOutcomeOfAttempt: ExecOutcome?
    /// Fresh attempts started so far.
    var restarts = 0 {
        didSet { lastOutcomeOfAttempt = nil }
    }

    /// The iteration that already ran these files, if one did: the same up to blank lines and
    /// spaces at line ends (a small model's "new" version is often the old one with a blank line
    /// dropped, and fails the same way), never up to indentation.
    func iteration(ranSame files: [String: String]) -> Int? {
        let normalized = Self.normalized(files)
        return versions.first { $0.files == normalized }?.iteration
    }

    /// Files without blank lines and without spaces at line ends.
    static func normalized(_ files: [String: String]) -> [String: String] {
        files.mapValues { content in
            content.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in line.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed() }
                .filter { !$0.isEmpty }.map { String($0) }.joined(separator: "\n")
        }
    }

    /// Whether `outcome` fails the same way as the previous run of the current attempt did.
    func repeatsLastFailure(_ outcome: ExecOutcome) -> Bool {
        guard let previous = lastOutcomeOfAttempt, !outcome.passed, !previous.passed else { return false }
        return Self.signature(of: previous) == Self.signature(of: outcome)
    }

    mutating func append(_ files: [String: String], outcome: ExecOutcome, iteration: Int) {
        versions.append((iteration, Self.normalized(files)))
        lastOutcome = outcome
        lastOutcomeOfAttempt = outcome
    }

    /// What identifies a failure: the verdict, the failing tests with their messages, the errors.
    static func signature(of outcome: ExecOutcome) -> String {
        let failing = outcome.tests.filter(\.failedToPass).map { "\($0.name)|\($0.outcome.rawValue)|\($0.message ?? "")|\($0.details.joined())" }
        let errors = outcome.diagnostics.filter { $0.severity == "error" }.map { "\($0.location)|\($0.message)" }
        return ([outcome.verdict.rawValue] + failing.sorted() + errors.sorted()).joined(separator: "\n")
    }
}
