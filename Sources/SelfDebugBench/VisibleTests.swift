import Foundation
import SelfDebugCore

/// The tests a user of a benchmark problem would have: the examples in its prompt (HumanEval's
/// `>>> call` lines with the value below them and its examples in prose, `VisibleTests+Prose.swift`;
/// MBPP's `assert` in its prompt; MultiPL-E Swift's `/// >>> call` lines). They give the model its
/// feedback; the hidden `tests` only judge. The benchmark leaves out the examples a set's
/// reference solution fails (`VisibleTests+Vetting.swift`).
public struct VisibleTests: Sendable, Equatable {
    /// What the examples program says when none of the examples could be run (all prose).
    public static let noExampleRan = "selfdebug: none of the task's examples could be run"

    /// One example: the call as written in the prompt, and the expected value's text (nil for an
    /// assert that is checked as a whole).
    public struct Example: Sendable, Equatable {
        /// The call (or the asserted expression when `expected` is nil).
        public var call: String
        /// The expected value, as the prompt writes it.
        public var expected: String?
    }

    /// The examples, in prompt order.
    public var examples: [Example]
    /// The test code appended to the solution, as one program.
    public var program: String

    /// The visible tests of `problem`, or nil when its prompt has no example selfdebug can read
    /// (repair sets such as QuixBugs, and prompts without examples).
    public static func of(_ problem: BenchProblem) -> VisibleTests? {
        guard problem.instruction == nil else { return nil }
        switch problem.language {
        case .python:
            var examples = doctestExamples(problem.prompt, marker: ">>> ", continuation: "... ")
            if examples.isEmpty { examples = callExamples(problem.prompt, entryPoint: problem.entryPoint) }
            if examples.isEmpty { examples = proseExamples(problem.prompt, entryPoint: problem.entryPoint) }
            if examples.isEmpty { examples = assertExamples(problem.prompt) }
            return examples.isEmpty ? nil : VisibleTests(examples: examples, program: pythonProgram(examples))
        case .swift:
            let examples = doctestExamples(problem.prompt.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).hasPrefix("///") ? String($0.trimmingCharacters(in: .whitespaces).dropFirst(3)) : "" }
                .joined(separator: "\n"), marker: ">>> ", continuation: nil, valueEndsWhenBalanced: true)
            return examples.isEmpty ? nil : VisibleTests(examples: examples, program: swiftProgram(examples, hiddenTests: problem.tests))
        }
    }

    /// `>>> call` followed by the expected value's lines (up to a blank line, the next example or
    /// the docstring's end), or `>>> call == value` alone. Other examples whose expected output is
    /// empty are left out.
    ///
    /// `valueEndsWhenBalanced`: the value ends with the first line on which its brackets and
    /// quotes close (MultiPL-E's Swift prompts run prose such as `/// Explanation: ...` straight
    /// after the value, with no blank line; taken as part of the value, it broke the examples'
    /// build and the model was shown 33 compiler errors in code it never wrote).
    static func doctestExamples(_ text: String, marker: String, continuation: String?, valueEndsWhenBalanced: Bool = false) -> [Example] {
        let lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var examples: [Example] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix(marker) else { index += 1; continue }
            var call = String(lines[index].dropFirst(marker.count))
            index += 1
            while let continuation, index < lines.count, lines[index].hasPrefix(continuation) {
                call += "\n" + lines[index].dropFirst(continuation.count)
                index += 1
            }
            var expected: [String] = []
            while index < lines.count, !lines[index].isEmpty, !lines[index].hasPrefix(marker),
                  !lines[index].hasPrefix("\"\"\""), !lines[index].hasPrefix("'''") {
                var line = lines[index]
                for end in ["\"\"\"", "'''"] where line.hasSuffix(end) { line = String(line.dropLast(3)) }
                expected.append(line)
                index += 1
                if lines[index - 1] != line { break }  // the docstring closed on this line
                if valueEndsWhenBalanced, isBalanced(expected.joined(separator: "\n")) { break }
            }
            let value = expected.joined(separator: "\n").trimmingCharacters(in: .whitespaces)
            if !value.isEmpty, !call.trimmingCharacters(in: .whitespaces).isEmpty {
                examples.append(Example(call: call, expected: value))
            } else if value.isEmpty, let split = topLevelEquals(call) {
                // `>>> count_nums([]) == 0` with no value line (HumanEval/108, 128, 145, 156, 162): read as asserted.
                examples.append(Example(call: String(call[..<split.lowerBound]), expected: String(call[split.upperBound...])))
            }
        }
        return examples
    }

    /// Examples written as prose lines: `f(x) == y`, `f(x) => y`, `f(x) ➞ y`, `f(x) -> y`,
    /// `f(x) should return y`, `f(x)  # returns y` (after a bullet or a `for` too: `* f(x) => y`,
    /// `for f(x) == y`; a trailing `# comment` dropped; for `... -> 19 - 5 - 6 = 8` the value after
    /// the last ` = `).
    static func callExamples(_ text: String, entryPoint: String) -> [Example] {
        var examples: [Example] = []
        for raw in text.components(separatedBy: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            for lead in ["* ", "- ", "for ", "For "] where line.hasPrefix(lead + entryPoint + "(") { line = String(line.dropFirst(lead.count)) }
            guard line.hasPrefix(entryPoint + "("), let close = closingParenthesis(line, from: line.index(line.startIndex, offsetBy: entryPoint.count)) else { continue }
            let call = String(line[...close])
            var rest = String(line[line.index(after: close)...]).trimmingCharacters(in: .whitespaces)
            let inComment = rest.hasPrefix("#")
            if inComment { rest = String(rest.dropFirst()).trimmingCharacters(in: .whitespaces) }
            guard let separator = ["==>", "==", "=>", "➞", "->", "→", "should return", "returns", "="].first(where: { rest.hasPrefix($0) }) else { continue }
            rest = String(rest.dropFirst(separator.count))
            if inComment {
                // `# => 'No' (the name should start with a letter)`: the value, not the reason.
                if let value = leadingLiteral(rest) { examples.append(Example(call: call, expected: value)) }
                continue
            }
            if let comment = rest.range(of: " #") { rest = String(rest[..<comment.lowerBound]) }
            if let last = rest.range(of: " = ", options: .backwards) { rest = String(rest[last.upperBound...]) }
            rest = rest.trimmingCharacters(in: .whitespaces)
            while rest.hasSuffix(".") || rest.hasSuffix(",") { rest.removeLast() }
            if !rest.isEmpty { examples.append(Example(call: call, expected: rest)) }
        }
        return examples
    }

    /// Whether every bracket and string literal opened in `text` is closed.
    static func isBalanced(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        var escaped = false
        for character in text {
            if let open = quote {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == open { quote = nil }
            } else if character == "\"" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
            }
        }
        return depth <= 0 && quote == nil
    }

    /// The index of the `)` that closes the `(` at `open`, skipping strings.
    static func closingParenthesis(_ text: String, from open: String.Index) -> String.Index? {
        var found: String.Index?
        scanOutsideStrings(text, from: open) { index, character, depth in
            guard depth == 1, ")]}".contains(character) else { return false }
            if character == ")" { found = index }
            return true
        }
        return found
    }

    /// MBPP: `assert f(x) == y` lines in the prompt (checked as a call and a value when they have
    /// that shape, else as a whole).
    static func assertExamples(_ text: String) -> [Example] {
        text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("assert ") }.map { line in
            let body = String(line.dropFirst("assert ".count))
            if let split = topLevelEquals(body) {
                return Example(call: String(body[..<split.lowerBound]).trimmingCharacters(in: .whitespaces),
                               expected: String(body[split.upperBound...]).trimmingCharacters(in: .whitespaces))
            }
            return Example(call: body, expected: nil)
        }
    }

    /// The range of an `==` (spaces around it or not) outside brackets and strings, when there is
    /// exactly one: `f(x)==0.54` splits as `f(x) == 0.54` does (a third of MBPP's asserts are
    /// written without the spaces); `!=`, `<=`, `>=` never split.
    static func topLevelEquals(_ text: String) -> Range<String.Index>? {
        var found: Range<String.Index>?
        var ambiguous = false
        scanOutsideStrings(text, from: text.startIndex) { index, _, depth in
            guard depth == 0, text[index...].hasPrefix("=="), !text[index...].hasPrefix("===") else { return false }
            if index > text.startIndex, "=!<>".contains(text[text.index(before: index)]) { return false }
            if found != nil { ambiguous = true }
            var lower = index
            while lower > text.startIndex, text[text.index(before: lower)] == " " { lower = text.index(before: lower) }
            var upper = text.index(index, offsetBy: 2)
            while upper < text.endIndex, text[upper] == " " { upper = text.index(after: upper) }
            found = lower..<upper
            return false
        }
        return ambiguous ? nil : found
    }

    /// For an assert checked as a whole that is a call (`math.isclose(area(2), 12.56, rel_tol=0.01)`),
    /// its first argument when that is itself a call: the value worth showing when the assert fails.
    static func firstCallArgument(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")"),
              closingParenthesis(text, from: open) == text.index(before: text.endIndex) else { return nil }
        var end: String.Index?
        scanOutsideStrings(text, from: text.index(after: open)) { index, character, depth in
            guard depth == 0, character == "," || character == ")" else { return false }
            end = index
            return true
        }
        guard let end else { return nil }
        let argument = text[text.index(after: open)..<end].trimmingCharacters(in: .whitespaces)
        // A plain call (`name(...)` or `module.name(...)`), nothing around it.
        guard let paren = argument.firstIndex(of: "("), argument.hasSuffix(")"),
              argument[..<paren].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
              argument.first.map({ $0.isLetter || $0 == "_" }) == true,
              closingParenthesis(argument, from: paren) == argument.index(before: argument.endIndex) else { return nil }
        return argument
    }

    /// Calls `visit` with each character outside string literals and its bracket depth (before
    /// the character), until `visit` says stop.
    static func scanOutsideStrings(_ text: String, from start: String.Index, _ visit: (String.Index, Character, Int) -> Bool) {
        var depth = 0
        var quote: Character?
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" { index = text.index(after: index) } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else {
                if visit(index, character, depth) { return }
                if "([{".contains(character) { depth += 1 } else if ")]}".contains(character) { depth -= 1 }
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
    }

    /// A Python literal holding `text`.
    static func pythonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// Every example checked; the value mismatches are collected and reported together (with the
    /// call and both values); an exception stops the run with its traceback. `trace`: the first
    /// failing example is run again under a tracer and its trace follows the report
    /// (``pythonTracer``); an example whose call raises gets its trace as a note on the exception
    /// (``pythonTracedRun``).
    static func pythonProgram(_ examples: [Example], trace: Bool = false) -> String {
        // Each example is compiled on its own: a prose example that is not Python (a syntax
        // error, or a name only the prose defines) is left out, never blamed on the solution.
        // Without `trace` the program is as it was before tracing existed (recorded runs compare).
        let remember: [String] = trace ? ["failing.append((code, call))"] : []
        // Trace: which call is running, so that one that raises gets its trace (`pythonTracedRun`).
        let calling: [String] = trace ? ["__selfdebug_calling[:] = [(code, call)]"] : []
        let called: [String] = trace ? ["__selfdebug_calling.clear()"] : []
        var lines: [String] = [
            "def __selfdebug_examples():",
            "    import sys",
            trace ? "    failures, checked, failing = [], 0, []" : "    failures, checked = [], 0",
            "    def check(call, expected, inner=None):",
            "        nonlocal checked",
            "        try:",
            "            code = compile(call, '<example>', 'eval')",
            "        except SyntaxError:",
            "            return",
        ]
        lines += calling.map { "        " + $0 }
        lines += [
            "        try:",
            "            value = eval(code, globals())",
            "        except NameError as error:",
            "            if error.__traceback__.tb_next is not None and error.__traceback__.tb_next.tb_next is None:",
        ]
        lines += called.map { "                " + $0 }
        lines += [
            "                return  # a name the example's prose uses, not the solution",
            "            raise",
        ]
        lines += called.map { "        " + $0 }
        lines += [
            "        checked += 1",
            "        if expected is None:",
            "            if not value:",
            "                try:",
            "                    part = ' (%s returned %r)' % (inner, eval(inner, globals())) if inner else ''",
            "                except Exception:",
            "                    part = ''",
            "                failures.append('assert %s failed%s' % (call, part))",
        ]
        lines += remember.map { "                " + $0 }
        lines += [
            "            return",
            "        try:",
            "            same = value == eval(expected, globals())",
            "        except Exception:",
            "            same = False",
            "        if not same and repr(value) != expected and str(value) != expected and str(value).lower() != expected.lower():",
            "            shown = repr(value)",
            "            failures.append('%s returned %s, expected %s' % (call, shown if len(shown) < 300 else shown[:300] + '...', expected))",
        ]
        lines += remember.map { "            " + $0 }
        for example in examples {
            let call = example.call.replacingOccurrences(of: "\n", with: " ")
            let shown = example.expected == nil ? firstCallArgument(call).map { ", " + pythonString($0) } ?? "" : ""
            lines.append("    check(\(pythonString(call)), \(example.expected.map(pythonString) ?? "None")\(shown))")
        }
        let report = "'%d of %d examples from the task failed:\\n' % (len(failures), checked) + '\\n'.join(failures)"
        lines += [
            "    if not checked:",
            "        raise AssertionError(\(pythonString(noExampleRan)))",
            "    if failures:",
            trace ? "        raise AssertionError(\(report) + __selfdebug_trace(*failing[0]))" : "        raise AssertionError(\(report))",
            "",
            "",
        ]
        return lines.joined(separator: "\n") + "\n" + (trace ? pythonTracer + pythonTracedRun : "__selfdebug_examples()\n")
    }

    /// The hidden tests' helpers (what comes before their first `assert`, no test data), then one
    /// assert per example with a message that shows the call, the value and the expected value.
    static func swiftProgram(_ examples: [Example], hiddenTests: String) -> String {
        let lines = hiddenTests.components(separatedBy: "\n")
        let helpers = lines.prefix { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("assert(") }.joined(separator: "\n")
        var program = helpers + "\n"
        for (index, example) in examples.enumerated() {
            guard let expected = example.expected else { continue }
            let call = example.call.replacingOccurrences(of: "\n", with: " ")
            let escapedCall = call.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let escapedExpected = expected.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            program += "let selfdebugExample\(index + 1) = \(call)\n"
            program += "assert(selfdebugExample\(index + 1) == \(expected), \"example \(index + 1) of \(examples.count): \(escapedCall) returned \\(selfdebugExample\(index + 1)), expected \(escapedExpected)\")\n"
        }
        return program
    }
}
