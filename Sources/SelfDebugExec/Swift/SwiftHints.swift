import Foundation
import SelfDebugCore

/// Plain hints for Swift build errors whose fix is certain, added to the feedback as notes.
///
/// Small models write Swift as if it were Python: they index strings with integers, mix `Int` and
/// `Double`, use `%` on a `Double`, mutate their parameters, and forget `import Foundation` on
/// Linux. The compiler's message names the problem but not always the idiom that fixes it, and a
/// 1.5B model then tries variations of the same mistake (measured on MultiPL-E's HumanEval in
/// Swift: `num % 2` on a `Double` became `truncatingRemainder(from: num)`, then `abs(num) % 2`).
/// Each hint is general Swift knowledge, keyed on the compiler's own words.
enum SwiftHints {
    /// One hint: the compiler's words it answers, and what to say.
    struct Hint {
        let pattern: String
        let text: String
    }

    static let hints = [
        Hint(pattern: "For floating point numbers use truncatingRemainder instead",
             text: "`%` works on integers only: the remainder of a `Double` x is `x.truncatingRemainder(dividingBy: 2)` (a method of x), or convert first: `Int(x) % 2`."),
        Hint(pattern: #"cannot convert value of type '(Int|Double|Float|CGFloat)' to (expected argument )?type '(Int|Double|Float)'|binary operator '[^']+' cannot be applied to operands of type '(Int|Double)' and '(Int|Double)'"#,
             text: "Swift never converts between number types by itself: write `Double(n)` or `Int(x)` where an `Int` and a `Double` meet."),
        Hint(pattern: #"cannot use mutating member on immutable value: '[^']+' is a 'let' constant|cannot assign to value: '[^']+' is a 'let' constant|left side of mutating operator isn't mutable: '[^']+' is a 'let' constant"#,
             text: "Function parameters are constants in Swift: copy one into a variable first (`var xs = xs`) and change the copy (a `let` you change must be a `var`)."),
        Hint(pattern: "cannot convert value of type 'Character' to expected argument type 'String'|cannot convert value of type 'String' to expected argument type 'Character'",
             text: "A `Character` is not a `String`: convert with `String(c)` (or `Character(s)` for a one-letter string); iterating a string gives `Character`s."),
        Hint(pattern: #"cannot subscript String with an Int|'subscript\(_:\)' is unavailable: cannot subscript String|'String.Index' to (expected argument|specified) type 'Int'|value of type 'Int' to type 'String.Index'|'String.Index' conform to"#,
             text: "A Swift `String` is not indexed by `Int`: take `let chars = Array(s)` (a `[Character]`) and index that, or use `s[s.index(s.startIndex, offsetBy: i)]`."),
    ]

    /// Functions that need `import Foundation` on Linux (there is no implicit Darwin import).
    static let foundationFunctions: Set<String> = [
        "sqrt", "pow", "floor", "ceil", "round", "trunc", "exp", "log", "log2", "log10", "sin", "cos", "tan", "atan", "atan2",
        "fabs", "fmod", "hypot", "cbrt", "String(format:", "NSString", "Date", "DateFormatter", "NumberFormatter", "CharacterSet", "Data",
    ]

    /// The notes for a failed build: the Foundation hint, then each hint whose words appear in an
    /// error, once.
    static func notes(_ diagnostics: [Diagnostic], output: String) -> [String] {
        var notes = foundationHint(diagnostics, output: output)
        let errors = diagnostics.filter { $0.severity == "error" }.map(\.message)
        for hint in hints where !notes.contains(hint.text) {
            if errors.contains(where: { $0.range(of: hint.pattern, options: .regularExpression) != nil }) { notes.append(hint.text) }
        }
        return notes
    }

    /// A plain hint when a build failed for want of `import Foundation`.
    static func foundationHint(_ diagnostics: [Diagnostic], output: String) -> [String] {
        let missing = diagnostics.compactMap { diagnostic -> String? in
            guard let range = diagnostic.message.range(of: #"cannot find (type )?'([^']+)' in scope"#, options: .regularExpression) else { return nil }
            let name = diagnostic.message[range].split(separator: "'").dropFirst().first.map(String.init) ?? ""
            return foundationFunctions.contains(name) ? name : nil
        }
        let linkMath = output.contains("undefined reference to") && ["`trunc'", "`sqrt'", "`pow'", "`floor'", "`ceil'", "`round'", "`lround'"].contains { output.contains($0) }
        guard !missing.isEmpty || linkMath else { return [] }
        let names = missing.isEmpty ? "math functions such as rounded() and sqrt" : Array(Set(missing)).sorted().joined(separator: ", ")
        return ["On Linux, \(names) need `import Foundation` at the top of the file that uses them."]
    }
}
