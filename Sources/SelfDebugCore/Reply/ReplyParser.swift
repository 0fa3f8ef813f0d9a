import Foundation

/// A change the model asked for.
public enum FileEdit: Sendable, Equatable {
    /// Replace (or create) the whole file.
    case wholeFile(path: String, content: String)
    /// Replace the first occurrence of `search` with `replace` (an empty `search` creates or appends).
    case searchReplace(path: String, search: String, replace: String)
    /// A fenced block with no path: the language tag, if any, and the code.
    case anonymousBlock(language: String?, content: String)

    /// The path the edit names, if any.
    public var path: String? {
        switch self {
        case .wholeFile(let path, _), .searchReplace(let path, _, _): path
        case .anonymousBlock: nil
        }
    }
}

/// Reads a model's reply into edits: fenced blocks, whole files behind a path line, and
/// SEARCH/REPLACE blocks (fenced or not), as SPEC.md's "What the model may answer" says.
public struct ReplyParser: Sendable {
    /// Creates a parser.
    public init() {}

    /// The files a reply asks to see: lines `READ: path` outside code blocks.
    public func readRequests(_ reply: String) -> [String] {
        var inFence = false
        var paths: [String] = []
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence, trimmed.uppercased().hasPrefix("READ:") else { continue }
            let path = trimmed.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: " `'\""))
            if !path.isEmpty, !paths.contains(path) { paths.append(path) }
        }
        return paths
    }

    /// The edits in `reply`, in order, and malformed SEARCH/REPLACE blocks described in words.
    public func parse(_ reply: String) -> (edits: [FileEdit], problems: [String]) {
        let lines = reply.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        var edits: [FileEdit] = []
        var problems: [String] = []
        var pathCandidate: String?  // a path on the nearest preceding non-blank line
        var lastPath: String?       // the most recent path line anywhere, for edit blocks
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let fence = Self.fenceOpening(trimmed) {
                if let (path, next) = Self.pathInBareFence(lines, at: index, fence: fence) {
                    pathCandidate = path
                    lastPath = path
                    index = next
                    continue
                }
                var body: [String] = []
                var end = index + 1
                while end < lines.count, !Self.closes(lines[end], fence: fence.marker) {
                    body.append(lines[end])
                    end += 1
                }
                let infoPath = fence.info.flatMap(Self.pathFromInfo)
                if body.contains(where: { Self.isSearchMarker($0) }) {
                    let path = infoPath ?? pathCandidate ?? lastPath
                    let (blockEdits, blockProblems) = Self.searchReplaceBlocks(body, path: path)
                    edits += blockEdits
                    problems += blockProblems
                } else {
                    let content = body.joined(separator: "\n") + "\n"
                    if let path = infoPath ?? pathCandidate {
                        edits.append(.wholeFile(path: path, content: content))
                    } else {
                        edits.append(.anonymousBlock(language: fence.language, content: content))
                    }
                }
                pathCandidate = nil
                index = end + 1
                continue
            }
            if Self.isSearchMarker(line) {
                var end = index
                while end < lines.count, !Self.isReplaceMarker(lines[end]) { end += 1 }
                let block = Array(lines[index..<min(end + 1, lines.count)])
                let (blockEdits, blockProblems) = Self.searchReplaceBlocks(block, path: pathCandidate ?? lastPath)
                edits += blockEdits
                problems += blockProblems
                pathCandidate = nil
                index = end + 1
                continue
            }
            if !trimmed.isEmpty {
                pathCandidate = Self.pathLine(trimmed)
                if let pathCandidate { lastPath = pathCandidate }
            }
            index += 1
        }
        return (edits, problems)
    }

    // MARK: - Fences

    struct Fence {
        var marker: String
        var info: String?
        var language: String?
    }

    static func fenceOpening(_ trimmed: String) -> Fence? {
        guard let first = trimmed.first, first == "`" || first == "~" else { return nil }
        let marker = String(trimmed.prefix(while: { $0 == first }))
        guard marker.count >= 3 else { return nil }
        let info = trimmed.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
        if first == "`", info.contains("`") { return nil }
        let language = info.split(separator: " ").first.map { String($0).lowercased() }
        return Fence(marker: marker, info: info.isEmpty ? nil : info, language: language)
    }

    /// A bare fence whose only line is a path, right before a fenced block (small models put the
    /// path line in a block of its own, closed or not): the path names that block. Returns the
    /// path and the index of the block's opening line.
    static func pathInBareFence(_ lines: [String], at index: Int, fence: Fence) -> (String, Int)? {
        guard fence.info == nil, index + 2 < lines.count, let path = pathLine(lines[index + 1]) else { return nil }
        let after = lines[index + 2].trimmingCharacters(in: .whitespaces)
        if fenceOpening(after)?.info != nil { return (path, index + 2) }  // left open: the file's fence follows
        guard closes(after, fence: fence.marker) else { return nil }
        var next = index + 3
        while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
        guard next < lines.count, fenceOpening(lines[next].trimmingCharacters(in: .whitespaces)) != nil else { return nil }
        return (path, next)
    }

    static func closes(_ line: String, fence: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let first = fence.first, trimmed.hasPrefix(fence) else { return false }
        return trimmed.allSatisfy { $0 == first }
    }

    /// A path given in a fence's info string: ```` ```python stats.py ```` or ```` ```stats.py ````.
    static func pathFromInfo(_ info: String) -> String? {
        let words = info.split(separator: " ").map(String.init)
        for word in words.reversed() {
            if let path = pathLine(word), path.contains(".") { return path }
        }
        return nil
    }

    // MARK: - Path lines

    static let knownExtensions: Set<String> = [
        "py", "swift", "txt", "md", "json", "toml", "cfg", "ini", "yaml", "yml", "c", "h", "sh", "pyi", "resolved",
    ]

    /// The path on a line such as `stats.py`, `**stats.py**`, `### src/a.py`, `File: a.py`, `` `a.py`: ``.
    static func pathLine(_ line: String) -> String? {
        var text = line.trimmingCharacters(in: .whitespaces)
        while let first = text.first, "#*>-".contains(first) { text = text.dropFirst().trimmingCharacters(in: .whitespaces) }
        for prefix in ["file:", "filename:", "path:", "file "] where text.lowercased().hasPrefix(prefix) {
            text = text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "*`'\":"))
        if text.hasPrefix("./") { text.removeFirst(2) }
        guard !text.isEmpty, !text.contains(" "), text.count < 200 else { return nil }
        let name = (text as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        guard !ext.isEmpty, knownExtensions.contains(ext) else { return nil }
        guard text.allSatisfy({ $0.isLetter || $0.isNumber || "._-/+".contains($0) }) else { return nil }
        return text
    }

    // MARK: - SEARCH/REPLACE

    static func isSearchMarker(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("<<<<<<<") && trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces).uppercased() == "SEARCH"
    }

    static func isDivider(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespaces) == "======="
    }

    static func isReplaceMarker(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix(">>>>>>>") && trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces).uppercased() == "REPLACE"
    }

    /// The SEARCH/REPLACE blocks in `lines`; a path line inside the lines (between blocks) switches the file.
    static func searchReplaceBlocks(_ lines: [String], path initialPath: String?) -> ([FileEdit], [String]) {
        var edits: [FileEdit] = []
        var problems: [String] = []
        var path = initialPath
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if isSearchMarker(line) {
                var search: [String] = []
                var replace: [String] = []
                var cursor = index + 1
                while cursor < lines.count, !isDivider(lines[cursor]), !isReplaceMarker(lines[cursor]) {
                    search.append(lines[cursor]); cursor += 1
                }
                guard cursor < lines.count, isDivider(lines[cursor]) else {
                    problems.append("a SEARCH block has no '=======' line after its search text")
                    index = cursor + 1
                    continue
                }
                cursor += 1
                while cursor < lines.count, !isReplaceMarker(lines[cursor]) {
                    replace.append(lines[cursor]); cursor += 1
                }
                guard cursor < lines.count else {
                    problems.append("a SEARCH/REPLACE block is not closed with '>>>>>>> REPLACE'")
                    break
                }
                if let path {
                    edits.append(.searchReplace(
                        path: path,
                        search: search.isEmpty ? "" : search.joined(separator: "\n") + "\n",
                        replace: replace.isEmpty ? "" : replace.joined(separator: "\n") + "\n"))
                } else {
                    problems.append("a SEARCH/REPLACE block has no file path on the line before it")
                }
                index = cursor + 1
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, let newPath = pathLine(trimmed) { path = newPath }
            index += 1
        }
        return (edits, problems)
    }
}
