import Foundation

/// The words selfdebug says to the model, all in this folder: the task and the rules here, how to
/// answer and why a reply was not used in `Prompts+Replies.swift`, the first messages of the
/// benchmark, engineer and fix stages in `Prompts+Stages.swift`. (How test results are put into
/// words is ``FeedbackBuilder``'s.)
///
/// The start of the conversation stays the same across turns, so providers that cache a shared
/// prompt prefix can reuse it: change a word here and every cached prefix is lost, and recorded
/// runs no longer compare with new ones.
public enum Prompts {
    /// The system message.
    public static func system(for task: TaskSpec) -> String {
        let language = task.language == .python ? "Python" : "Swift"
        return """
        You are a careful senior \(language) engineer. You write code that makes the given tests pass, \
        and you fix it from the exact test and compiler output you are shown. \
        Keep the public names the tests use. Do not change or rewrite the tests: they are read-only. \
        Answer with code only in the format asked for, after at most a few sentences of reasoning.
        """
    }

    /// The first user message: the task, the files to write, the tests, the rules of the environment.
    /// `agentTestPath`: the task has no tests, and the agent writes them there first.
    public static func task(_ task: TaskSpec, agentTestPath: String?, startingFiles: [String: String]) -> String {
        if task.isProject {
            // Project mode: the body already holds the failing output, the map and the relevant files.
            return task.body + "\n\n" + formatReminder(task)
        }
        var text = "# Task\n\n\(task.body)\n\n"
        text += "## Files to write\n\n" + task.solutionFiles.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
        text += "## Environment\n\n" + environment(task) + "\n\n"
        if !startingFiles.isEmpty {
            text += "## Current files\n\n"
            for (path, content) in startingFiles.sorted(by: { $0.key < $1.key }) {
                text += fileBlock(path, content, fence: task.language.fenceTag) + "\n"
            }
        }
        text += testsSection(task, agentTestPath: agentTestPath)
        text += formatReminder(task)
        return text
    }

    /// The task message's `## Tests` section: what the agent must write, what it is shown, or the tests themselves.
    static func testsSection(_ task: TaskSpec, agentTestPath: String?) -> String {
        if let agentTestPath {
            return "## Tests\n\nThere are no tests for this task. First write thorough tests in \(agentTestPath) "
                + "(\(task.language == .python ? "pytest-style test_ functions with plain assert" : "an XCTestCase subclass with test methods")), "
                + "then the solution. Send both files, each as its path on a line followed by a fenced block.\n\n"
        }
        switch task.verification {
        case .program(examplesOnly: true):
            return "## Tests\n\nThe examples in the task are run against your code; you will be shown any that fail. "
                + "More tests, hidden, decide whether the answer is right: make the function correct for every input, not just the examples.\n\n"
        case .program(examplesOnly: false):
            return "## Tests\n\nHidden tests are run against your code; you will be shown any failure.\n\n"
        case .testFiles, .agentTests, .projectCommand:
            var text = "## Tests (read-only: they decide when you are done)\n\n"
            for (path, content) in task.tests.sorted(by: { $0.key < $1.key }) {
                text += fileBlock(path, content, fence: task.language.fenceTag) + "\n"
            }
            return text
        }
    }

    /// Where and how the code runs, as the task message's `## Environment` section says it.
    static func environment(_ task: TaskSpec) -> String {
        let limit = FeedbackBuilder.seconds(task.timeout)
        switch (task.language, task.verification) {
        case (.python, .program(let examplesOnly)):
            return "Python 3 on Linux, standard library only. Your file and the \(examplesOnly ? "tests" : "hidden tests") are run together as one program. "
                + "There is no network. Each run has \(limit)."
        case (.python, _):
            return "Python 3 on Linux, standard library only. The tests import your modules from the working folder. "
                + "There is no network. Each run (all tests) has \(limit)."
        case (.swift, .program(let examplesOnly)):
            return "Swift 6 on Linux. Your code and the \(examplesOnly ? "tests" : "hidden tests") are compiled together as one main.swift with -Onone and run; "
                + "write no top-level statements of your own. Add `import Foundation` when you use it (on Linux even `sqrt` and `rounded()` need it). "
                + "There is no network. Each run (build and tests) has \(limit)."
        case (.swift, _) where task.solutionFiles.contains("Package.swift") || task.tests["Package.swift"] != nil:
            return "Swift 6 on Linux. This is a SwiftPM package: it is built with `swift build --build-tests` and tested with `swift test` "
                + "(XCTest and Swift Testing). There is no network, so the package cannot have dependencies. "
                + "Add `import Foundation` when you use it (on Linux even `sqrt` and `rounded()` need it). "
                + "Each run (build and tests) has \(limit)."
        case (.swift, _):
            return "Swift 6 on Linux. The solution files are compiled together as a library module named `\(task.resolvedModule)` "
                + "(no top-level statements; no `@main`), built with -Onone; the tests `@testable import \(task.resolvedModule)` and run with XCTest. "
                + "Add `import Foundation` when you use it (on Linux even `sqrt` and `rounded()` need it). "
                + "There is no network. Each run (build and tests) has \(limit)."
        }
    }

    /// A file as the model sees it: its path (and a label), then a fenced block ending in a newline.
    public static func fileBlock(_ path: String, _ content: String, fence: String, label: String = "") -> String {
        "\(path)\(label)\n```\(fence)\n\(content)\(content.hasSuffix("\n") ? "" : "\n")```\n"
    }

    /// A rewrite repair (``ConversationStyle/rewrite``): after the task, the failing version as an
    /// attempt to correct, and what happened when it ran.
    public static func attempt(_ files: [String: String], task: TaskSpec, feedback: String) -> String {
        var text = "\n\n## An attempt that does not pass yet\n\n"
        for path in task.solutionFiles.sorted() {
            guard let content = files[path] else { continue }
            text += fileBlock(path, content, fence: task.language.fenceTag) + "\n"
        }
        return text + "## What happened when it ran\n\n" + feedback
            + "\n\nFind the mistake in the attempt and send the corrected version in full; do not send the attempt back unchanged."
    }

    /// A fresh repair (``ConversationStyle/fresh``): after the task, how the latest attempts failed
    /// (`reports`, oldest first), without their code, and a request for a new solution. Attempts
    /// that all failed alike are shown once, as one approach that is wrong (a small model at this
    /// point keeps writing the same code: HumanEval/26's "remove elements that occur more than
    /// once" answered four times by one that drops only the repeats).
    public static func earlierFailures<Reports: Collection<String>>(_ reports: Reports, task: TaskSpec) -> String {
        var text = "\n\n## Earlier attempts that failed\n\n"
        let alike = reports.count > 1 && Set(reports).count == 1
        if alike, let report = reports.first {
            text += "The last \(reports.count) solutions to this task all failed in exactly the same way when they ran:\n\n" + report + "\n\n"
        } else {
            text += reports.count == 1 ? "An earlier solution to this task failed like this when it ran:\n\n"
                : "Earlier solutions to this task failed like this when they ran, oldest first:\n\n"
            for (number, report) in reports.enumerated() {
                text += (reports.count == 1 ? "" : "### Attempt \(number + 1)\n\n") + report + "\n\n"
            }
        }
        let fence = "```\(task.language.fenceTag)"
        let whole = task.solutionFiles.count == 1 ? "the complete file \(task.solutionFiles[0]) in one \(fence) block"
            : "each file as its path on a line of its own followed by a \(fence) block with the complete file"
        return text + "Write a new solution that does not fail like this: "
            + (alike ? "they took the same approach and it is wrong, so read the task again, find another way to do what it asks, "
                : "read the task again, ")
            + "check your code against the failing cases above before you answer, and answer with \(whole)."
    }

    /// Added to the request asked again when a reply sent back a version that already ran and
    /// failed (the reply itself is left out, so the model does not copy it once more).
    /// `codeShown`: the model saw the failing code (in the `fresh` conversation it did not).
    public static func repeated(_ iteration: Int, task: TaskSpec, codeShown: Bool = true) -> String {
        codeShown ? "Note: an answer that sent back the code of turn \(iteration) unchanged was not run, since it fails as shown. "
            + "Find the mistake and change the code."
            : "Note: that answer was the code of an earlier attempt, which fails as shown above; it was not run. Write a different solution."
    }

    /// Added to the task when a fresh attempt starts after the model got stuck (`reason`), with how
    /// the last version failed (`lastFailure`, empty when none ran).
    public static func restart(reason: String, lastFailure: String) -> String {
        "\n\nAn earlier attempt got stuck (\(reason)). Do not repeat it: think again about the approach and write the solution afresh."
            + (lastFailure.isEmpty ? "" : " It failed like this:\n\n" + lastFailure)
    }

    /// The answer to a reply that sent no tests when the agent must write them (to `path`) first.
    public static func noTests(path: String) -> String {
        "Your reply had no tests. Send the test file \(path) as its path on a line followed by a fenced block, then the solution."
    }

    /// The note on a run whose failing tests passed when run again: not the code's fault.
    public static func flaky(_ tests: [String]) -> String {
        "Flaky: \(tests.joined(separator: ", ")) failed, then passed when run again; not counted against the code."
    }

    /// How every trace begins (the harness's `trace_test` and the benchmark's examples tracer write
    /// it): the feedback asks the model to use a trace only when one is there.
    public static let traceHeading = "Trace of "

    /// The user message after a failed run.
    public static func feedback(_ feedback: String, task: TaskSpec, mode: FeedbackMode = .tests) -> String {
        switch mode {
        case .explain:
            return feedback + "\n\nFirst explain the failing code line by line, as if to a rubber duck: take the first failing test, "
                + "walk through what each line of the code it calls does with that test's inputs, and say exactly where the result departs "
                + "from what the test expects. Then fix the code so that every test passes. " + formatReminder(task)
        case .trace:
            return feedback + "\n\nUse the trace to find the first block where a value goes wrong, then fix the code so that every test passes. "
                + formatReminder(task)
        case .simple, .tests:
            return feedback + "\n\nFix the code so that every test passes. " + formatReminder(task)
        }
    }
}

extension Prompts {
    /// Why a fresh attempt starts: recorded in the `restart` event and told to the model in
    /// ``Prompts/restart(reason:lastFailure:)``.
    public enum StuckReason {
        /// The model sent back code that already ran.
        public static func identical(toIteration iteration: Int) -> String {
            "the code is identical to the version of iteration \(iteration)"
        }

        /// The version failed exactly as the one before it.
        public static let sameFailure = "the same failure as the previous version"
    }

    /// Why a debugging run took a fresh sample instead of a repair (the `resample` event's reason;
    /// the model is not told, it is asked the task afresh).
    public static let blindFailure = "the failure shows nothing to repair from (the hidden tests failed and there are no examples): a fresh sample instead"

    /// Why an `alternate` run took a fresh sample: the version that failed was itself a repair.
    public static let failedRepair = "the repair failed too: a fresh sample instead (the alternate strategy)"

    /// Why a `repair-once` run took a fresh sample: its one repair has been asked for.
    public static let repairSpent = "the run's one repair was asked for: a fresh sample instead (the repair-once strategy)"
}
