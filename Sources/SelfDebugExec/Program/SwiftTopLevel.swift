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
    static func withoutStatements(_ source: String) -> (kept: String, dropped: [String]) {
        var kept: [String] = []
        var dropped: [String] = []
        var depth = 0
        var dropping = false
        var dropStart = 0
        for (index, line) in source.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if depth == 0, !trimmed.isEmpty {
                dropping = !declarationStarts.contains { trimmed.hasPrefix($0) }
                if dropping { dropStart = index + 1 }
            }
            depth = max(0, depth + balance(of: line))
            if dropping {
                kept.append("")  // keep the line numbers of what follows
                if depth == 0 {
                    dropped.append(dropStart == index + 1 ? "\(dropStart)" : "\(dropStart)-\(index + 1)")
                    dropping = false
                }
            } else {
                kept.append(line)
            }
        }
        if dropping { dropped.append("\(dropStart)-\(kept.count)") }
        return (kept.joined(separator: "\n"), dropped)
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
