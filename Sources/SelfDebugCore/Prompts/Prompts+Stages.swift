import Foundation

/// The task bodies the stages write before the loop starts: a benchmark problem, an engineer
/// request, a project to fix. Each stage chooses what to show; the words are here.
extension Prompts {
    /// A benchmark problem's task body: complete the function `entryPoint` from its `prompt`, or,
    /// in repair sets (`instruction`), correct the program in `prompt`.
    public static func benchmarkTask(id: String, language: Language, prompt: String, entryPoint: String, instruction: String?) -> String {
        let fence = language.fenceTag
        var body: String
        if let instruction {
            body = "# \(id)\n\n\(instruction)\n\n```\(fence)\n\(prompt)\n```\n\nAnswer with the whole corrected program."
        } else {
            body = "# \(id)\n\nComplete the function `\(entryPoint)`. Answer with the whole function, with the imports it needs, in one ```\(fence) block.\n\n```\(fence)\n\(prompt)\n```"
        }
        if language == .swift { body += "\n\nDo not write a `main` function or top-level statements." }
        return body
    }

    /// An engineer request's task body: the requirement, the design and the task list, in every
    /// turn, so that repairs stay inside the design.
    public static func engineerTask(requirement: String, design: String?, steps: [String]?) -> String {
        var body = "# Requirement\n\n\(requirement)\n"
        if let design, !design.isEmpty { body += "\n# Design\n\n\(design)\n" }
        if let steps, !steps.isEmpty {
            body += "\n# Tasks, in order\n\n" + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
        }
        return body + "\nImplement the design exactly: keep its file names, names and interfaces."
    }

    /// An engineer request with a test command (project mode shows everything in the first
    /// message): the `body`, the files to write, the command, and every file of the workspace.
    public static func engineerProject(
        _ body: String, files: [String], command: String, startingFiles: [String: String], tests: [String: String], language: Language
    ) -> String {
        var text = body + "\n\n## Files to write\n\n" + files.map { "- \($0)" }.joined(separator: "\n")
            + "\n\nThe command `\(command)` runs the tests; it must exit 0.\n"
        for (path, content) in startingFiles.merging(tests, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key < $1.key }) {
            text += "\n" + fileBlock(path, content, fence: language.fenceTag, label: tests[path] != nil ? readOnlyTestLabel : "")
        }
        return text
    }

    /// The start of `selfdebug fix`'s first message: what fails (`report`, the baseline run's
    /// feedback), the project map, and the heading of the relevant files that follow it.
    public static func fixTask(language: Language, command: String, testsReadOnly: Bool, report: String, projectMap: String) -> String {
        "# Fix the failing tests\n\nIn this \(language == .swift ? "Swift package" : "Python project"), the test command `\(command)` fails. "
            + "Make it pass by changing the project's source. "
            + (testsReadOnly ? "The tests and their configuration are read-only: fix the code, not the tests." : "You may also change the tests.")
            + "\n\n## What the test command reported\n\n" + report
            + "\n\n## Project map (files with their top-level declarations)\n\n" + projectMap
            + "\n\n## Relevant files\n"
    }

    /// The files of a fix left out of its first message, with how to see them.
    public static func notShown(_ paths: [String]) -> String {
        "\nNot shown to stay short (ask with READ: path): \(paths.joined(separator: ", "))\n"
    }

    /// The label after a test file's path in a first message (``fileBlock(_:_:fence:label:)``).
    public static let readOnlyTestLabel = " (test, read-only)"
}
