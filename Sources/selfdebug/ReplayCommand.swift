import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugEngineer
import SelfDebugExec
import SelfDebugSandbox

/// `selfdebug replay RUN_DIR`: re-runs every recorded code version in the sandbox, with no model,
/// and says whether each outcome matches the record.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run every recorded code version of a run again in the sandbox, with no model, and report whether each outcome matches the record (exit 0 only when all match).")

    @Argument(help: "The run folder.")
    var runDir: String

    @OptionGroup var runOptions: RunOptions

    struct Comparison: Encodable {
        var iteration: Int
        var recorded: String
        var replayed: String
        var matches: Bool
        var differences: [String]
    }

    func run() async throws {
        let record = try RunRecord.opened(runDir)
        let versions = record.versions
        guard !versions.isEmpty else { throw AppError(.badInput, "\(runDir) recorded no code version that ran") }
        let session = try TerminalRun(modelSelection: ModelSelection(), runOptions: runOptions).session
        let task = record.task
        let limits = try session.runSettings.limits(timeout: task.timeout)
        let sandbox = try session.makeSandbox()
        let executor: any Executor
        do {
            executor = try await ExecutorFactory.make(for: task, sandbox: sandbox, limits: limits)
        } catch let error as EngineerError {
            throw AppError(.unavailable, error.description)
        }
        var comparisons: [Comparison] = []
        for version in versions {
            let outcome = try await executor.run(ExecRequest(task: task, files: version.files))
            let comparison = Self.compare(version, outcome)
            comparisons.append(comparison)
            if !runOptions.json, !runOptions.quiet {
                print("iteration \(version.iteration): \(comparison.matches ? "match" : "MISMATCH") (recorded \(comparison.recorded), replayed \(comparison.replayed))"
                    + comparison.differences.map { "\n  - \($0)" }.joined())
            }
        }
        let matched = comparisons.filter(\.matches).count
        if runOptions.json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(["versions": comparisons])
            print(String(decoding: body, as: UTF8.self))
        } else if !runOptions.quiet {
            print("\(matched) of \(comparisons.count) versions match the record"
                + (matched < comparisons.count ? " (a mismatch means a flaky test, a changed toolchain or sandbox, or a non-deterministic program)" : ""))
        }
        if matched < comparisons.count { try TerminalRun.exit(with: .unsolved) }
    }

    /// What matters when comparing two outcomes of a test: passed, skipped, or not passed.
    static func kind(_ outcome: String) -> String {
        outcome == "passed" || outcome == "skipped" ? outcome : "failed"
    }

    /// The recorded `exec` event against a new outcome: the verdict, each test's pass or fail, the timeout.
    static func compare(_ version: RunRecord.Version, _ outcome: ExecOutcome) -> Comparison {
        let exec = version.exec
        let recordedVerdict = exec.verdict.rawValue
        var differences: [String] = []
        if recordedVerdict != outcome.verdict.rawValue { differences.append("verdict: recorded \(recordedVerdict), now \(outcome.verdict.rawValue)") }
        if exec.timedOut != outcome.runs.contains(where: \.timedOut) {
            differences.append("timed out: recorded \(exec.timedOut), now \(outcome.runs.contains(where: \.timedOut))")
        }
        // Each test's outcome (passed, failed, error, skipped...): a skip is not a pass.
        var recorded: [String: (outcome: String, flaky: Bool)] = [:]
        for test in exec.tests {
            let flaky = test.flaky == true
            recorded[test.name] = (flaky ? "passed" : test.outcome.rawValue, flaky)
        }
        let now = Dictionary(outcome.tests.map { ($0.name, $0.flaky == true ? "passed" : $0.outcome.rawValue) }, uniquingKeysWith: { first, _ in first })
        for (name, state) in recorded.sorted(by: { $0.key < $1.key }) where !state.flaky {
            if let current = now[name], Self.kind(current) != Self.kind(state.outcome) {
                differences.append("\(name): recorded \(state.outcome), now \(current)")
            } else if now[name] == nil, outcome.verdict != .buildFailed {
                differences.append("\(name): recorded, did not run now")
            }
        }
        for name in now.keys.sorted() where recorded[name] == nil && !recorded.isEmpty {
            differences.append("\(name): ran now, not in the record")
        }
        let counts = { (passed: Int, total: Int) in total > 0 ? " \(passed)/\(total)" : "" }
        return Comparison(
            iteration: version.iteration,
            recorded: recordedVerdict + counts(exec.testsPassed, recorded.count),
            replayed: outcome.verdict.rawValue + counts(outcome.passedCount, outcome.tests.count),
            matches: differences.isEmpty, differences: differences)
    }
}
