import Foundation

/// The words selfdebug says to the model. The start of the conversation stays the same across
/// turns, so providers that cache a shared prompt prefix can reuse it.
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
    public static func task(_ task: TaskSpec, agentTestPath: String?, startingFiles: [String: String]) -> String {
        if task.testCommand != nil {
            // Project mode: the body already holds the failing output, the map and the relevant files.
            return task.body + "\n\n" + EditApplier.formatReminder(task)
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
        if let agentTestPath {
            text += "## Tests\n\nThere are no tests for this task. First write thorough tests in \(agentTestPath) "
                + "(\(task.language == .python ? "pytest-style test_ functions with plain assert" : "an XCTestCase subclass with test methods")), "
                + "then the solution. Send both files, each as its path on a line followed by a fenced block.\n\n"
        } else if task.programTestsAreExamples == true {
            text += "## Tests\n\nThe examples in the task are run against your code; you will be shown any that fail. "
                + "More tests, hidden, decide whether the answer is right: make the function correct for every input, not just the examples.\n\n"
        } else if task.programTests != nil {
            text += "## Tests\n\nHidden tests are run against your code; you will be shown any failure.\n\n"
        } else {
            text += "## Tests (read-only: they decide when you are done)\n\n"
            for (path, content) in task.tests.sorted(by: { $0.key < $1.key }) {
                text += fileBlock(path, content, fence: task.language.fenceTag) + "\n"
            }
        }
        text += EditApplier.formatReminder(task)
        return text
    }

    static func environment(_ task: TaskSpec) -> String {
        switch task.language {
        case .python where task.programTests != nil:
            return "Python 3 on Linux, standard library only. Your file and the \(task.programTestsAreExamples == true ? "tests" : "hidden tests") are run together as one program. "
                + "There is no network. Each run has \(FeedbackBuilder.seconds(task.timeout))."
        case .python:
            return "Python 3 on Linux, standard library only. The tests import your modules from the working folder. "
                + "There is no network. Each run (all tests) has \(FeedbackBuilder.seconds(task.timeout))."
        case .swift where task.programTests != nil:
            return "Swift 6 on Linux. Your code and the \(task.programTestsAreExamples == true ? "tests" : "hidden tests") are compiled together as one main.swift with -Onone and run; "
                + "write no top-level statements of your own. Add `import Foundation` when you use it (on Linux even `sqrt` and `rounded()` need it). "
                + "There is no network. Each run (build and tests) has \(FeedbackBuilder.seconds(task.timeout))."
        case .swift where task.solutionFiles.contains("Package.swift") || task.tests["Package.swift"] != nil:
            return "Swift 6 on Linux. This is a SwiftPM package: it is built with `swift build --build-tests` and tested with `swift test` "
                + "(XCTest and Swift Testing). There is no network, so the package cannot have dependencies. "
                + "Add `import Foundation` when you use it (on Linux even `sqrt` and `rounded()` need it). "
                + "Each run (build and tests) has \(FeedbackBuilder.seconds(task.timeout))."
        case .swift:
            return "Swift 6 on Linux. The solution files are compiled together as a library module named `\(task.resolvedModule)` "
                + "(no top-level statements; no `@main`), built with -Onone; the tests `@testable import \(task.resolvedModule)` and run with XCTest. "
                + "Add `import Foundation` when you use it (on Linux even `sqrt` and `rounded()` need it). "
                + "There is no network. Each run (build and tests) has \(FeedbackBuilder.seconds(task.timeout))."
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

    /// Added to the request asked again when a reply sent back a version that already ran and
    /// failed (the reply itself is left out, so the model does not copy it once more).
    public static func repeated(_ iteration: Int, task: TaskSpec) -> String {
        "Note: an answer that sent back the code of turn \(iteration) unchanged was not run, since it fails as shown. "
            + "Find the mistake and change the code."
    }

    /// The user message after a failed run.
    public static func feedback(_ feedback: String, task: TaskSpec, mode: FeedbackMode = .tests) -> String {
        switch mode {
        case .explain:
            return feedback + "\n\nFirst explain the failing code line by line, as if to a rubber duck: take the first failing test, "
                + "walk through what each line of the code it calls does with that test's inputs, and say exactly where the result departs "
                + "from what the test expects. Then fix the code so that every test passes. " + EditApplier.formatReminder(task)
        case .trace:
            return feedback + "\n\nUse the trace to find the first block where a value goes wrong, then fix the code so that every test passes. "
                + EditApplier.formatReminder(task)
        case .simple, .tests:
            return feedback + "\n\nFix the code so that every test passes. " + EditApplier.formatReminder(task)
        }
    }
}
