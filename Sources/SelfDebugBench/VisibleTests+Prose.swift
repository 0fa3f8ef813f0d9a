import Foundation

/// Examples that a prompt writes in prose rather than as `>>>` doctests: a user reads them as
/// plainly as a doctest, so they are the problem's visible tests too (with these and the asserted
/// doctests, HumanEval's problems without examples fell from 33 to 8). The shapes read:
///
/// - `Input: arr = [-3, -4, 5], k = 3` then `Output: [-4, -3, 5]` (or a bare `Input: [4,2,3]`);
/// - `For lst = [1,2,3] the output should be 14` (`... the result should be ...`);
/// - a call with its value in a comment, `decimal_to_binary(15)   # returns "db1111db"`, or after a
///   bullet or a `for`: `* sort_array([5]) => [5]`, `for x_or_y(7, 34, 12) == 34`.
///
/// Named inputs become positional arguments in the signature's order (a model that renames a
/// parameter is not blamed for it), and only when they name every parameter, so a sentence that
/// merely looks like an example is left out. Each value is the literal that starts the text
/// (`'No' (the name should start with a letter)` reads as `'No'`).
extension VisibleTests {
    /// The prose examples of a Python prompt, in prompt order (Input/Output pairs and "For ... should
    /// be" sentences; the call-shaped lines are ``callExamples(_:entryPoint:)``'s).
    static func proseExamples(_ text: String, entryPoint: String) -> [Example] {
        guard let parameters = parameterNames(text, entryPoint: entryPoint), !parameters.isEmpty else { return [] }
        let lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var examples: [Example] = []
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("Input:"), let output = lines[(index + 1)...].prefix(2).first(where: { $0.hasPrefix("Output:") }) {
                let input = String(line.dropFirst("Input:".count)).trimmingCharacters(in: .whitespaces)
                if let call = call(entryPoint, parameters: parameters, input: input),
                   let value = leadingLiteral(String(output.dropFirst("Output:".count))) {
                    examples.append(Example(call: call, expected: value))
                }
            } else if let example = shouldBeExample(line, entryPoint: entryPoint, parameters: parameters) {
                examples.append(example)
            }
        }
        return examples
    }

    /// `For num = "AB" the output should be 1.`: the named inputs before the first phrase that is
    /// not an assignment, the value after `should be`.
    static func shouldBeExample(_ line: String, entryPoint: String, parameters: [String]) -> Example? {
        guard line.lowercased().hasPrefix("for "), let should = line.range(of: " should be ", options: .backwards) else { return nil }
        var left = String(line[line.index(line.startIndex, offsetBy: 4)..<should.lowerBound])
        for phrase in [" the output", " the result", "the output", "the result"] where left.hasSuffix(phrase) {
            left = String(left.dropLast(phrase.count))
            break
        }
        guard let assignments = assignments(left, stopAtProse: true),
              let call = call(entryPoint, parameters: parameters, named: assignments),
              let value = leadingLiteral(String(line[should.upperBound...])) else { return nil }
        return Example(call: call, expected: value)
    }

    /// The call for an `Input:` text: named inputs (`arr = [1], k = 3`) or the arguments as written.
    static func call(_ entryPoint: String, parameters: [String], input: String) -> String? {
        guard !input.isEmpty else { return nil }
        if let named = assignments(input, stopAtProse: false) { return call(entryPoint, parameters: parameters, named: named) }
        return "\(entryPoint)(\(input))"
    }

    /// The call with named inputs as positional arguments, when they name every parameter (or the
    /// function has one parameter and there is one input, whatever its name).
    static func call(_ entryPoint: String, parameters: [String], named: [(name: String, value: String)]) -> String? {
        let byName = Dictionary(named.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        if parameters.count == 1, named.count == 1 { return "\(entryPoint)(\(named[0].value))" }
        guard named.count == parameters.count, parameters.allSatisfy({ byName[$0] != nil }) else { return nil }
        return "\(entryPoint)(\(parameters.compactMap { byName[$0] }.joined(separator: ", ")))"
    }

    /// `a = 1, b = "x, y"` as its names and values, split at the commas outside brackets and
    /// strings; nil when the text does not start with an assignment. `stopAtProse`: a part that is
    /// not `name = value` ends the list (`N = 150, the sum of digits will be 6`); else it fails it.
    static func assignments(_ text: String, stopAtProse: Bool) -> [(name: String, value: String)]? {
        var found: [(name: String, value: String)] = []
        for part in splitAtTopLevelCommas(text) {
            let piece = part.trimmingCharacters(in: .whitespaces)
            guard let equals = piece.firstIndex(of: "="), !piece[equals...].hasPrefix("=="),
                  case let name = piece[..<equals].trimmingCharacters(in: .whitespaces), isIdentifier(name) else {
                if stopAtProse, !found.isEmpty { break }
                if piece.isEmpty, !found.isEmpty { continue }
                return nil
            }
            let value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { return nil }
            found.append((name, value))
        }
        return found.isEmpty ? nil : found
    }

    /// The parameter names of `def entryPoint(...)` in `text`, without annotations, defaults, `*`
    /// and `/`; nil when the prompt does not define it.
    static func parameterNames(_ text: String, entryPoint: String) -> [String]? {
        guard let def = text.range(of: "def \(entryPoint)(") else { return nil }
        let open = text.index(before: def.upperBound)
        guard let close = closingParenthesis(text, from: open) else { return nil }
        let inside = String(text[text.index(after: open)..<close])
        return splitAtTopLevelCommas(inside).compactMap { part in
            var name = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
            if let equals = name.firstIndex(of: "=") { name = String(name[..<equals]) }
            name = name.trimmingCharacters(in: .whitespaces)
            return isIdentifier(name) && name != "self" ? name : nil
        }
    }

    /// The Python literal that starts `text`: a quoted string, a bracketed group, or the first word
    /// (a number, `True`), without a sentence's closing `.` or `,`; nil when there is none.
    static func leadingLiteral(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard let first = value.first else { return nil }
        var end: String.Index?
        if first == "\"" || first == "'" {
            end = value[value.index(after: value.startIndex)...].firstIndex(of: first).map { value.index(after: $0) }
        } else if "([{".contains(first) {
            end = closingBracket(value).map { value.index(after: $0) }
        } else {
            end = value.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? value.endIndex
        }
        guard let end else { return nil }
        var literal = String(value[..<end])
        while literal.hasSuffix(".") || literal.hasSuffix(",") { literal.removeLast() }
        return literal.isEmpty ? nil : literal
    }

    /// The index of the bracket that closes the one `text` starts with, skipping strings.
    static func closingBracket(_ text: String) -> String.Index? {
        var found: String.Index?
        scanOutsideStrings(text, from: text.startIndex) { index, character, depth in
            guard depth == 1, ")]}".contains(character) else { return false }
            found = index
            return true
        }
        return found
    }

    /// `text` split at the commas outside brackets and strings.
    static func splitAtTopLevelCommas(_ text: String) -> [String] {
        var parts: [String] = []
        var start = text.startIndex
        scanOutsideStrings(text, from: text.startIndex) { index, character, depth in
            if depth == 0, character == "," {
                parts.append(String(text[start..<index]))
                start = text.index(after: index)
            }
            return false
        }
        parts.append(String(text[start...]))
        return parts
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
