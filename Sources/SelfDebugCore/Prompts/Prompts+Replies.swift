import Foundation

/// How to answer, and why a reply was not used: the requests to try again that ``EditApplier``
/// and the loop send, and the files shown to a model that asked to read them.
extension Prompts {
    /// How to answer, for the task message and for requests to try again.
    public static func formatReminder(_ task: TaskSpec) -> String {
        let fence = "```\(task.language.fenceTag)"
        if task.isProject {
            return "Answer with SEARCH/REPLACE edits (the file's path on a line, then <<<<<<< SEARCH, the exact old lines, =======, "
                + "the new lines, >>>>>>> REPLACE), or with whole files (the path on a line, then a \(fence) block). "
                + "To see a file you have not been shown, answer with only lines of the form `READ: path/to/file`."
        }
        if task.solutionFiles.count == 1 {
            return "Answer with the complete file \(task.solutionFiles[0]) in one \(fence) block, "
                + "or with SEARCH/REPLACE edits (the path line, then <<<<<<< SEARCH, the exact old lines, =======, the new lines, >>>>>>> REPLACE)."
        }
        return "Answer with each file as its path on a line of its own followed by a \(fence) block with the complete file, "
            + "or with SEARCH/REPLACE edits (the path line, then <<<<<<< SEARCH, the exact old lines, =======, the new lines, >>>>>>> REPLACE). "
            + "The files are: \(task.solutionFiles.joined(separator: ", "))."
    }

    /// Why a reply was not applied, each with the request to try again.
    enum Rejection {
        /// The parser could not read the reply (`problems`).
        static func malformed(_ problems: [String], task: TaskSpec) -> String {
            "Your reply could not be used: \(problems.joined(separator: "; ")). Nothing was applied. " + formatReminder(task)
        }

        /// Code blocks without paths in a task with several files.
        static func codeWithoutPaths(task: TaskSpec) -> String {
            "Your reply has code blocks without file paths, but this task has several files "
                + "(\(task.solutionFiles.joined(separator: ", "))). Nothing was applied. Put each file's path on the line "
                + "before its fenced block."
        }

        /// No code at all.
        static func noCode(task: TaskSpec) -> String {
            "Your reply had no usable code. " + formatReminder(task)
        }

        /// Some edits did not apply (`failures`); the current solution files are shown to copy from.
        static func editsFailed(_ failures: [String], files: [String: String], task: TaskSpec) -> String {
            var message = "Your edits could not be applied, so none were:\n- " + failures.joined(separator: "\n- ")
            message += "\nCopy the SEARCH lines exactly from the current file, or send the whole file. The current files are:\n"
            for path in task.solutionFiles.sorted() {
                if let content = files[path] { message += "\n" + fileBlock(path, content, fence: task.language.fenceTag) }
            }
            return message
        }

        /// Every edit was refused (`notes` say why), and nothing else was sent.
        static func onlyRefused(_ notes: [String], task: TaskSpec) -> String {
            notes.joined(separator: "\n") + "\nNothing else was in your reply. " + formatReminder(task)
        }

        /// A file larger than the limit.
        static func tooLarge(_ path: String, limitBytes: Int) -> String { "\(path) is larger than \(limitBytes / 1000) KB" }

        /// A SEARCH block for a file that is not there.
        static func searchInMissingFile(_ path: String) -> String {
            "the SEARCH block for \(path) edits a file that does not exist yet; send the whole file instead"
        }

        /// A SEARCH text not in the file (`search` and `closest` already indented).
        static func searchNotFound(_ path: String, search: String, closest: String) -> String {
            "the SEARCH text for \(path) is not in the file:\n\(search)\n" + closest
        }

        /// The lines of the file most like the SEARCH text, lines `lines` (1-based, inclusive).
        static func closestLines(_ lines: ClosedRange<Int>, text: String) -> String {
            "The closest lines in the file are (lines \(lines.lowerBound)-\(lines.upperBound)):\n" + text
        }
    }

    /// Why the model may not write a file: the notes ``EditApplier`` sends with what it applied.
    enum Refusal {
        static func outsideProject(_ path: String) -> String {
            "Your edit to '\(path)' was refused: paths must be relative and stay inside the project."
        }

        static func testFile(_ path: String) -> String {
            "Your change to the test file '\(path)' was ignored: the tests are read-only and are restored before every run. Fix the solution instead."
        }

        static func hidden(_ path: String) -> String {
            "Your file '\(path)' was refused: hidden files and folders are not part of the solution."
        }

        static func notSourceOrText(_ path: String) -> String {
            "Your file '\(path)' was refused: only source and text files may be written."
        }

        static func actsAsTest(_ path: String) -> String {
            "Your new file '\(path)' was refused: it would act as a test or as test configuration, and the tests are read-only. Fix the code instead."
        }

        static func changesTestRunning(_ path: String) -> String {
            "Your file '\(path)' was refused: it could change how the tests are run. Write only the solution's source files."
        }

        static func wrongLanguage(_ path: String, fileExtension: String) -> String {
            "Your file '\(path)' was refused: only .\(fileExtension) source files may be written."
        }
    }

    /// The files a model asked to read, each as its path and a fenced block (or why not), then
    /// back to work. At most 8 files, each cut at 20,000 characters.
    static func shownFiles(_ paths: [String], files: [String: String]) -> String {
        var text = ""
        for path in paths.prefix(8) {
            let key = EditApplier.normalize(path)
            if let content = files[key] {
                let shown = content.count > 20_000 ? String(content.prefix(20_000)) + "\n[... cut: the file has \(content.count) characters]\n" : content
                let ext = (key as NSString).pathExtension
                text += fileBlock(key, shown, fence: ext == "swift" ? "swift" : ext == "py" ? "python" : "") + "\n"
            } else {
                let near = files.keys.filter { ($0 as NSString).lastPathComponent == (key as NSString).lastPathComponent }.sorted()
                text += "\(key): no such file in the project" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)") + "\n\n"
            }
        }
        return text + "Now make the failing tests pass. Answer with edits."
    }
}
