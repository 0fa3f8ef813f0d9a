import Foundation
import Yams

/// Reads task files: Markdown with YAML front matter (see SPEC.md, "Task file").
///
/// Every problem is reported as a ``TaskFileError`` naming the file, the line where possible,
/// what is wrong and how to fix it.
public struct TaskFileParser: Sendable {
    /// The keys a task file's front matter may have.
    public static let knownKeys = ["language", "solution", "tests", "module", "timeout", "max_iterations", "title"]

    /// Creates a parser.
    public init() {}

    /// The result of parsing: the task and any warnings.
    public struct Parsed: Sendable {
        /// The task.
        public var task: TaskSpec
        /// Remarks that did not stop parsing (unknown keys, for example).
        public var warnings: [TaskFileWarning]
        /// The front matter's keys that were given (the rest took defaults).
        public var explicitKeys: Set<String> = []
    }

    /// Parses the task file at `path`, reading test files relative to it.
    public func parse(fileAt path: String) throws -> Parsed {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TaskFileError(
                path: path,
                message: exists ? "cannot read the task file" : "no such task file",
                hint: exists ? "check its permissions" : "give the path of a Markdown task file, e.g. Examples/python/stats/task.md")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaskFileError(path: path, message: "the task file is not UTF-8 text", hint: "save it as UTF-8")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text: text, path: path, baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Parses task text; `baseDirectory` is where relative test paths are looked up.
    public func parse(text: String, path: String, baseDirectory: String) throws -> Parsed {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        guard let open = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
              lines[open].trimmingCharacters(in: .whitespaces) == "---"
        else {
            throw TaskFileError(
                path: path, line: 1, message: "missing YAML front matter",
                hint: "start the file with a line '---', then keys such as 'language: python' and 'tests: test_x.py', then '---'")
        }
        guard let close = lines[(open + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw TaskFileError(
                path: path, line: open + 1, message: "the front matter is never closed",
                hint: "end the front matter with a line '---' before the task text")
        }
        let yamlText = lines[(open + 1)..<close].joined(separator: "\n")
        let lineOffset = open + 1  // file line of YAML line 1 is lineOffset + 1
        let root: Node?
        do {
            root = try Yams.compose(yaml: yamlText)
        } catch let error as YamlError {
            throw TaskFileError(
                path: path, line: Self.line(of: error).map { $0 + lineOffset },
                message: "the front matter is not valid YAML: \(Self.firstLine(of: "\(error)"))",
                hint: "write one 'key: value' per line")
        }
        guard let mapping = root?.mapping else {
            throw TaskFileError(
                path: path, line: open + 2, message: "the front matter must be 'key: value' lines",
                hint: "for example 'language: python'")
        }

        var fields = FrontMatter(path: path, lineOffset: lineOffset)
        var warnings: [TaskFileWarning] = []
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { $0.line + lineOffset }
            if Self.knownKeys.contains(key) {
                fields.values[key] = (valueNode, line)
            } else {
                let suggestion = Self.closest(to: key, in: Self.knownKeys).map { " (did you mean '\($0)'?)" } ?? ""
                warnings.append(TaskFileWarning(line: line, message: "unknown key '\(key)' is ignored\(suggestion)", path: path))
            }
        }

        let language = try fields.language()
        var solutionFiles = try fields.stringList("solution") ?? [Self.defaultSolution(for: language)]
        solutionFiles = try solutionFiles.map { try fields.checkRelative($0, key: "solution") }
        let timeout = try fields.positiveNumber("timeout") ?? 10
        let maxIterations = try fields.positiveInteger("max_iterations") ?? 5
        let module = try fields.string("module")

        let bodyLines = Array(lines[(close + 1)...])
        let (taskLines, inlineTests) = Self.splitInlineTests(bodyLines)
        let body = taskLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty {
            throw TaskFileError(
                path: path, line: close + 2, message: "the task has no text after the front matter",
                hint: "describe what to build below the closing '---'")
        }

        var tests: [String: String] = [:]
        if let testPaths = try fields.stringList("tests") {
            for relative in testPaths {
                let files = try Self.loadTests(relative, language: language, base: baseDirectory, path: path, line: fields.values["tests"]?.1)
                tests.merge(files) { first, _ in first }
            }
        }
        if !inlineTests.isEmpty {
            if !tests.isEmpty {
                warnings.append(TaskFileWarning(line: nil, message: "both a 'tests' key and a '## Tests' section: using both", path: path))
            }
            for (index, code) in inlineTests.enumerated() {
                let name = Self.inlineTestName(language: language, solution: solutionFiles[0], index: index, module: module)
                tests[name] = code
            }
        }
        for solution in solutionFiles where tests[solution] != nil {
            throw TaskFileError(
                path: path, line: fields.values["solution"]?.1, message: "'\(solution)' is both a solution file and a test file",
                hint: "give the solution and the tests different names")
        }

        let title = fields.values["title"]?.0.string ?? Self.title(in: taskLines)
        let task = TaskSpec(
            title: title, language: language, solutionFiles: solutionFiles, tests: tests, module: module,
            timeout: timeout, maxIterations: maxIterations, body: body, source: path)
        return Parsed(task: task, warnings: warnings, explicitKeys: Set(fields.values.keys))
    }

    // MARK: - Pieces

    static func defaultSolution(for language: Language) -> String {
        language == .python ? "solution.py" : "Solution.swift"
    }

    static func inlineTestName(language: Language, solution: String, index: Int, module: String?) -> String {
        let suffix = index == 0 ? "" : "_\(index + 1)"
        let stem = ((solution as NSString).lastPathComponent as NSString).deletingPathExtension
        switch language {
        case .python: return "test_\(stem)\(suffix).py"
        case .swift: return "\(module ?? stem)Tests\(suffix).swift"
        }
    }

    /// Splits the body into the task text and the fenced code blocks under a `## Tests` heading.
    static func splitInlineTests(_ lines: [String]) -> (task: [String], tests: [String]) {
        guard let heading = lines.firstIndex(where: { Self.isTestsHeading($0) }) else { return (lines, []) }
        let level = lines[heading].prefix(while: { $0 == "#" }).count
        var end = lines.count
        for index in (heading + 1)..<lines.count {
            let hashes = lines[index].prefix(while: { $0 == "#" }).count
            if hashes > 0, hashes <= level, lines[index].dropFirst(hashes).hasPrefix(" ") { end = index; break }
        }
        var blocks: [String] = []
        var current: [String]?
        var fence = ""
        for line in lines[(heading + 1)..<end] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(while: { $0 == "`" || $0 == "~" }))
                current = []
            } else if current != nil, trimmed == fence {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return (Array(lines[..<heading]) + Array(lines[end...]), blocks)
    }

    static func isTestsHeading(_ line: String) -> Bool {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard hashes >= 1, hashes <= 3 else { return false }
        return line.dropFirst(hashes).trimmingCharacters(in: .whitespaces).lowercased() == "tests"
    }

    static func title(in lines: [String]) -> String? {
        for line in lines where line.hasPrefix("# ") {
            return line.dropFirst(2).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    static func loadTests(_ relative: String, language: Language, base: String, path: String, line: Int?) throws -> [String: String] {
        let full = relative.hasPrefix("/") ? relative : (base as NSString).appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else {
            throw TaskFileError(
                path: path, line: line, message: "tests path '\(relative)' does not exist (looked for \(full))",
                hint: "give the test file or folder relative to the task file, or put the tests in a fenced block under '## Tests'")
        }
        if !isDirectory.boolValue {
            let name = (relative as NSString).lastPathComponent
            return [name: try readText(full, path: path, line: line)]
        }
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: full)
        while let item = enumerator?.nextObject() as? String {
            let itemPath = (full as NSString).appendingPathComponent(item)
            var itemIsDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: itemPath, isDirectory: &itemIsDirectory)
            if !exists || itemIsDirectory.boolValue || item.split(separator: "/").contains(where: { $0.hasPrefix(".") || $0 == "__pycache__" }) { continue }
            guard item.hasSuffix("." + language.fileExtension) else { continue }
            // Keep the folder in the path: a package's tests must stay under Tests/.
            files[(relative as NSString).appendingPathComponent(item)] = try readText(itemPath, path: path, line: line)
        }
        if files.isEmpty {
            throw TaskFileError(
                path: path, line: line, message: "tests folder '\(relative)' holds no .\(language.fileExtension) files",
                hint: "point 'tests' at the test files of the task's language")
        }
        return files
    }

    static func readText(_ file: String, path: String, line: Int?) throws -> String {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw TaskFileError(path: path, line: line, message: "cannot read test file \(file) as UTF-8 text", hint: "check the file")
        }
        return text
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func firstLine(of text: String) -> String {
        String(text.split(separator: "\n").first ?? Substring(text))
    }

    /// The known key nearest to `key` by edit distance, when it is close.
    static func closest(to key: String, in keys: [String]) -> String? {
        let scored = keys.map { ($0, editDistance(Array(key.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The front matter's known keys with their nodes and lines, and typed readers that throw
/// ``TaskFileError`` with the key's line.
struct FrontMatter {
    let path: String
    let lineOffset: Int
    var values: [String: (Node, Int?)] = [:]

    init(path: String, lineOffset: Int) {
        self.path = path
        self.lineOffset = lineOffset
    }

    func error(_ key: String, _ message: String, _ hint: String) -> TaskFileError {
        TaskFileError(path: path, line: values[key]?.1, message: message, hint: hint)
    }

    func language() throws -> Language {
        guard let (node, line) = values["language"] else {
            throw TaskFileError(path: path, line: lineOffset, message: "missing 'language'", hint: "add 'language: python' or 'language: swift' to the front matter")
        }
        guard let text = node.string, let language = Language(rawValue: text.lowercased()) else {
            throw TaskFileError(
                path: path, line: line, message: "unknown language '\(node.string ?? "?")'",
                hint: "use 'language: python' or 'language: swift'")
        }
        return language
    }

    func string(_ key: String) throws -> String? {
        guard let (node, _) = values[key] else { return nil }
        guard let text = node.scalar?.string, !text.isEmpty else {
            throw error(key, "'\(key)' must be a single name", "write '\(key): Name'")
        }
        return text
    }

    func stringList(_ key: String) throws -> [String]? {
        guard let (node, _) = values[key] else { return nil }
        if let scalar = node.scalar {
            guard !scalar.string.isEmpty else { throw error(key, "'\(key)' is empty", "name at least one file") }
            return [scalar.string]
        }
        if let sequence = node.sequence {
            let items = sequence.compactMap { $0.scalar?.string }
            guard items.count == sequence.count, !items.isEmpty else {
                throw error(key, "'\(key)' must be a file name or a list of file names", "write '\(key): [a.py, b.py]'")
            }
            return items
        }
        throw error(key, "'\(key)' must be a file name or a list of file names", "write '\(key): name' or '\(key): [a, b]'")
    }

    func checkRelative(_ file: String, key: String) throws -> String {
        let parts = file.split(separator: "/")
        if file.hasPrefix("/") || parts.contains("..") || parts.isEmpty {
            throw error(key, "'\(file)' must be a relative path inside the task's folder", "use a plain name such as 'stats.py'")
        }
        return file
    }

    func positiveNumber(_ key: String) throws -> Double? {
        guard let (node, _) = values[key] else { return nil }
        guard let value = node.float ?? node.int.map(Double.init), value > 0, value.isFinite else {
            throw error(key, "'\(key)' must be a positive number of seconds, not '\(node.string ?? "?")'", "write '\(key): 10'")
        }
        return value
    }

    func positiveInteger(_ key: String) throws -> Int? {
        guard let (node, _) = values[key] else { return nil }
        guard let value = node.int, value > 0 else {
            throw error(key, "'\(key)' must be a whole number of at least 1, not '\(node.string ?? "?")'", "write '\(key): 5'")
        }
        return value
    }
}
