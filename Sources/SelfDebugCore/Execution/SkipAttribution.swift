import Foundation

/// Decides which skips are the tests' own and which the code under test caused.
///
/// A skip the pristine tests decide (a `skipif` marker, `XCTSkipIf` in a test method, a disabled
/// Swift Testing test) stays a skip: it is reported and proves nothing. A skip raised from the
/// code under test is a failure that says so: the test did not run to its end. The runners already
/// attribute skips by where they were raised (Python tracebacks, XCTest's skip location); this is
/// the second, language-level check for what a location can hide: a solution that names the
/// framework's skip machinery at all gets no skips.
public enum SkipAttribution {
    /// Names of skip machinery that code under test has no business using, by language.
    public static func skipAPIs(for language: Language) -> [String] {
        switch language {
        case .python: ["SkipTest", "pytest", "Skipped", "_pytest"]
        case .swift: ["XCTSkip", "Test.cancel"]
        }
    }

    /// `outcome` with every skip the code under test caused turned into an error, and the verdict
    /// judged again. `files` are the agent's files; the task's tests are pristine.
    public static func apply(to outcome: ExecOutcome, task: TaskSpec, files: [String: String]) -> ExecOutcome {
        guard outcome.tests.contains(where: { $0.outcome == .skipped }) else { return outcome }
        let solution = files.filter { task.tests[$0.key] == nil }
        let used = skipAPIs(for: task.language).filter { api in solution.values.contains { $0.contains(api) } }
        var result = outcome
        for index in result.tests.indices where result.tests[index].outcome == .skipped {
            let test = result.tests[index]
            let file = test.location.flatMap { $0.split(separator: ":").first.map(String.init) }
            if let file, solution[file] != nil {
                result.tests[index].outcome = .error
                result.tests[index].message = "the code under test raised a skip at \(test.location ?? file)"
                    + (test.message.map { " (\($0))" } ?? "") + ": a skip raised by the solution is a failure, not a skip (the test must run to its end and pass)"
            } else if let api = used.first {
                result.tests[index].outcome = .error
                result.tests[index].message = "skipped" + (test.message.map { " (\($0))" } ?? "")
                    + ", and the solution's code uses \(api): a skip that may come from the code under test counts as a failure. Do not use \(api) in the solution."
            }
        }
        if [.passed, .noTests, .testsFailed].contains(result.verdict) {
            let judged = Verdict.judging(result.tests)
            // Never turn a failed run into a pass here: only make verdicts stricter.
            if result.verdict == .passed || judged == .testsFailed { result.verdict = judged }
        }
        return result
    }
}
