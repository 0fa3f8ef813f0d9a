import Foundation

/// Program mode, Swift: the solution and the tests are one `main.swift`, so a solution's own
/// top-level statements (the checks and prints small models append) would run before the tests
/// and break the build or the run. They are left out; declarations stay.
enum SwiftTopLevel {
    /// Words that start a declaration (or a comment) at the top level.
    static let declarationStarts = [
        "import ", "func ", "struct ", "class ", "enum ", "extension ", "protocol ", "typealias ", "let ", "var ", "@",
        "final ", "public ", "private ", "fileprivate ", "internal ", "open ", "indirect ", "actor ", "precedencegroup ",
        "infix ", "prefix ", "postfix ", "operator ", "//", "/*", "*", "#if", "#else", "#endif",
    ]

    /// The solution without its top-level statements, and the line ranges left out (1-based).
    /// A top-level `let` or `var` is a declaration and stays, unless it only runs a check: its value
    /// calls one of the file's own functions and nothing else in the file uses its name
    /// (`let result = solve(3)` before a `print(result)`, which would run before the tests).
    static func withoutStatements(_ source: String) -> (kept: String, dropped: [String]) {
        var kept: [String] = []
        var dropped: [ClosedRange<Int>] = []
        var bindings: [ClosedRange<Int>] = []
        var depth = 0
        var dropping = false
        var binding = false
        var start = 0
        for (index, line) in source.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if depth == 0, !trimmed.isEmpty {
                dropping = !declarationStarts.contains { trimmed.hasPrefix($0) }
                binding = trimmed.hasPrefix("let ") || trimmed.hasPrefix("var ")
                start = index + 1
            }
            depth = max(0, depth + balance(of: line))
            kept.append(dropping ? "" : line)  // a dropped line stays as a blank one: the line numbers of what follows hold
            if depth == 0, dropping || binding, !trimmed.isEmpty || start == index + 1 {
                if dropping { dropped.append(start...(index + 1)) } else { bindings.append(start...(index + 1)) }
                dropping = false
                binding = false
            }
        }
        if dropping { dropped.append(start...kept.count) }
        for range in bindings where isCheck(range, in: kept) {
            for line in range { kept[line - 1] = "" }
            dropped.append(range)
        }
        let ranges = dropped.sorted { $0.lowerBound < $1.lowerBound }.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
        return (kept.joined(separator: "\n"), ranges)
    }

    /// Whether the top-level binding on `lines` (1-based) only runs a check: its value calls a
    /// function the file declares, and its name is used nowhere else.
    static func isCheck(_ lines: ClosedRange<Int>, in source: [String]) -> Bool {
        let statement = lines.map { source[$0 - 1] }.joined(separator: "\n").trimmingCharacters(in: .whitespaces)
        let afterKeyword = statement.dropFirst(4).trimmingCharacters(in: .whitespaces)
        let name = String(afterKeyword.prefix(while: isIdentifierCharacter))
        guard !name.isEmpty, let equals = statement.firstIndex(of: "=") else { return false }
        let value = statement[statement.index(after: equals)...]
        let others = source.enumerated().filter { !lines.contains($0.offset + 1) }.map(\.element).joined(separator: "\n")
        let functions = others.components(separatedBy: "func ").dropFirst().map { String($0.prefix(while: isIdentifierCharacter)) }
        guard functions.contains(where: { !$0.isEmpty && value.contains($0 + "(") }) else { return false }
        return !containsWord(name, in: others)
    }

    /// A letter, digit or underscore.
    static func isIdentifierCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// Whether `word` occurs in `text` with no identifier character on either side.
    static func containsWord(_ word: String, in text: String) -> Bool {
        var searchFrom = text.startIndex
        while let found = text.range(of: word, range: searchFrom..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? " " : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? " " : text[found.upperBound]
            if !isIdentifierCharacter(before), !isIdentifierCharacter(after) { return true }
            searchFrom = found.upperBound
        }
        return false
    }

    /// Opening minus closing brackets of a line, outside string literals and `//` comments.
    static func balance(of line: String) -> Int {
        var count = 0
        var inString = false
        var previous: Character = " "
        for character in line {
            if inString {
                if character == "\"", previous != "\\" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "/", previous == "/" {
                break
            } else if "({[".contains(character) {
                count += 1
            } else if ")}]".contains(character) {
                count -= 1
            }
            previous = character
        }
        return count
    }
}
