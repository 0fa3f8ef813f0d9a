import Foundation

/// Applies a reply's edits to the current files of a task, under the task's rules: the tests and
/// the files that could shadow them are read-only, paths stay inside the workspace, and only source
/// files of the task's language are written.
public struct EditApplier: Sendable {
    /// The task whose files are edited.
    public let task: TaskSpec
    /// The largest file the model may write, in bytes.
    public var maxFileBytes = 1_000_000

    /// Creates an applier for `task`.
    public init(task: TaskSpec) { self.task = task }

    /// What applying a reply produced.
    public enum Result: Sendable, Equatable {
        /// The edits applied: the new files, the paths changed and notes for the model.
        case applied(files: [String: String], changed: [String], notes: [String])
        /// Nothing was applied; `message` asks the model precisely for a usable reply.
        case rejected(message: String, reason: String)
    }

    /// Names that would shadow the test runner or the tests if the model wrote them.
    static let protectedNames: [Language: Set<String>] = [
        .python: ["conftest.py", "pytest.py", "sitecustomize.py", "usercustomize.py", "unittest.py", "_pytest",
                  "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "selfdebug_harness.py"],
        .swift: ["main.swift", "LinuxMain.swift", "XCTestManifests.swift", "XCTest.swift"],
    ]

    /// File types the model may write in project mode.
    static let projectExtensions: Set<String> = ["py", "pyi", "swift", "txt", "md", "json", "toml", "cfg", "ini", "yaml", "yml", "c", "h", "sh", "csv"]

    /// Applies `edits` (with the parser's `problems`) to `files`.
    public func apply(_ edits: [FileEdit], problems: [String], to files: [String: String]) -> Result {
        if !problems.isEmpty {
            return .rejected(message: Prompts.Rejection.malformed(problems, task: task), reason: "malformed edit")
        }
        var resolved = edits.filter { $0.path != nil }
        let anonymous = edits.compactMap { edit -> (String?, String)? in
            if case .anonymousBlock(let language, let content) = edit { return (language, content) }
            return nil
        }
        if resolved.isEmpty, !anonymous.isEmpty {
            guard task.solutionFiles.count == 1 else {
                return .rejected(message: Prompts.Rejection.codeWithoutPaths(task: task), reason: "code without paths")
            }
            let matching = anonymous.filter { Self.matches(language: $0.0, task.language) }
            guard let chosen = (matching.last ?? anonymous.last) else { return noCode() }
            resolved = [.wholeFile(path: task.solutionFiles[0], content: chosen.1)]
        }
        if resolved.isEmpty { return noCode() }

        var result = files
        var changed: [String] = []
        var notes: [String] = []
        var failures: [String] = []
        for edit in resolved {
            guard let rawPath = edit.path else { continue }
            let path = Self.normalize(rawPath)
            if let refusal = refusal(for: path, existing: files) {
                notes.append(refusal)
                continue
            }
            switch applyOne(edit, at: path, to: &result) {
            case .changed: changed.append(path)
            case .unchanged: break
            case .failed(let why): failures.append(why)
            }
        }
        if !failures.isEmpty {
            return .rejected(message: Prompts.Rejection.editsFailed(failures, files: files, task: task), reason: "edit did not apply")
        }
        if changed.isEmpty, !notes.isEmpty {
            return .rejected(message: Prompts.Rejection.onlyRefused(notes, task: task), reason: "only refused edits")
        }
        return .applied(files: result, changed: Array(Set(changed)).sorted(), notes: notes)
    }

    /// What one edit did to its file.
    enum EditEffect {
        case changed
        case unchanged
        /// It did not apply, and why (for the model).
        case failed(String)
    }

    /// Applies one edit to the file at `path` in `result`.
    func applyOne(_ edit: FileEdit, at path: String, to result: inout [String: String]) -> EditEffect {
        switch edit {
        case .wholeFile(_, let content):
            guard content.utf8.count <= maxFileBytes else { return .failed(Prompts.Rejection.tooLarge(path, limitBytes: maxFileBytes)) }
            let effect: EditEffect = result[path] != content ? .changed : .unchanged
            result[path] = content
            return effect
        case .searchReplace(_, let search, let replace):
            let current = result[path] ?? ""
            if search.isEmpty {
                result[path] = current + replace
            } else if let range = current.range(of: search) {
                result[path] = current.replacingCharacters(in: range, with: replace)
            } else if let range = Self.looseRange(of: search, in: current) {
                // Matched with different indentation: shift the replacement by the same amount.
                let found = String(current[range])
                let shifted = Self.reindent(replace, from: Self.indentation(of: search), to: Self.indentation(of: found))
                result[path] = current.replacingCharacters(in: range, with: shifted)
            } else if result[path] == nil {
                return .failed(Prompts.Rejection.searchInMissingFile(path))
            } else {
                return .failed(Prompts.Rejection.searchNotFound(path, search: Self.indent(search), closest: Self.nearest(search, in: current)))
            }
            return .changed
        case .anonymousBlock:
            return .unchanged
        }
    }

    func noCode() -> Result {
        .rejected(message: Prompts.Rejection.noCode(task: task), reason: "no code")
    }

    /// Why the model may not write `path` (given the files before this reply), or nil when it may.
    func refusal(for path: String, existing: [String: String]) -> String? {
        let parts = path.split(separator: "/")
        if path.hasPrefix("/") || parts.contains("..") || parts.isEmpty {
            return Prompts.Refusal.outsideProject(path)
        }
        let name = String(parts.last!)
        let testNames = Set(task.tests.keys.map { ($0 as NSString).lastPathComponent })
        if task.tests[path] != nil || testNames.contains(name) {
            return Prompts.Refusal.testFile(path)
        }
        if parts.contains(where: { $0.hasPrefix(".") }) {
            return Prompts.Refusal.hidden(path)
        }
        if task.isProject {
            // Project mode: the tests and their configuration are in `tests`; any other text source may change,
            // but a new file may not act as a test or as test configuration (conftest.py, test_x.py, sitecustomize.py...).
            let ext = (name as NSString).pathExtension.lowercased()
            guard Self.projectExtensions.contains(ext) else { return Prompts.Refusal.notSourceOrText(path) }
            let testLike = Self.protectedNames[.python, default: []].contains(name) || name.hasPrefix("test_") || name.hasSuffix("_test.py")
                || parts.first == "Tests" || parts.dropLast().contains { ["tests", "test", "testing"].contains($0) } || name == "Package.swift"
            if existing[path] == nil, !task.tests.isEmpty, testLike {
                return Prompts.Refusal.actsAsTest(path)
            }
            return nil
        }
        if Self.protectedNames[task.language, default: []].contains(name) {
            return Prompts.Refusal.changesTestRunning(path)
        }
        if (name as NSString).pathExtension != task.language.fileExtension {
            return Prompts.Refusal.wrongLanguage(path, fileExtension: task.language.fileExtension)
        }
        return nil
    }

    static func normalize(_ path: String) -> String {
        var text = path
        while text.hasPrefix("./") { text.removeFirst(2) }
        return text
    }

    static func matches(language tag: String?, _ language: Language) -> Bool {
        guard let tag else { return true }
        switch language {
        case .python: return ["python", "py", "python3"].contains(tag)
        case .swift: return tag == "swift"
        }
    }

    /// The search text found with trailing spaces and indentation differences ignored, line by line.
    static func looseRange(of search: String, in text: String) -> Range<String.Index>? {
        let wanted = search.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        guard !wanted.isEmpty else { return nil }
        var lineStarts: [String.Index] = [text.startIndex]
        for index in text.indices where text[index] == "\n" { lineStarts.append(text.index(after: index)) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= wanted.count else { return nil }
        for start in 0...(lines.count - wanted.count) where Array(lines[start..<(start + wanted.count)]) == wanted {
            let end = start + wanted.count < lineStarts.count ? lineStarts[start + wanted.count] : text.endIndex
            return lineStarts[start]..<end
        }
        return nil
    }

    /// The leading whitespace of the first non-blank line.
    static func indentation(of text: String) -> String {
        let line = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        return String(line.prefix { $0 == " " || $0 == "\t" })
    }

    /// `text` with each line's leading `from` replaced by `to` (lines not starting with `from` get `to` added).
    static func reindent(_ text: String, from: String, to: String) -> String {
        guard from != to else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return String(line) }
            return line.hasPrefix(from) ? to + line.dropFirst(from.count) : to + line
        }.joined(separator: "\n")
    }

    /// The lines of `text` most like the first line of `search`, to help the model copy exactly.
    static func nearest(_ search: String, in text: String) -> String {
        let first = search.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard !first.isEmpty else { return "" }
        let words = Set(first.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }))
        var best: (Int, Int) = (-1, 0)
        for (index, line) in lines.enumerated() {
            let score = Set(line.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })).intersection(words).count
            if score > best.1 { best = (index, score) }
        }
        guard best.0 >= 0 else { return "" }
        let range = max(0, best.0 - 2)..<min(lines.count, best.0 + 3)
        return Prompts.Rejection.closestLines((range.lowerBound + 1)...range.upperBound, text: indent(lines[range].joined(separator: "\n")))
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}
