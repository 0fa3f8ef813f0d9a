import Foundation

/// `--show-first-test`: MBPP's own prompts show one of the problem's asserts (the first), which is
/// then its visible test; MultiPL-E's MBPP in Swift drops it, so the model has no example at all and
/// a failure tells it nothing but build errors. Shown again as an example in the prompt's doc
/// comment (`/// >>> call` and the value), it gives Swift the feedback Python's MBPP has. The shown
/// assert still judges with the others; reports say how many problems had it shown, since their pass
/// rates are not MultiPL-E's.
extension BenchProblem {
    /// This Swift problem with its first hidden assert shown in the prompt as an example, or nil
    /// when it already has examples or its first assert is not `assert(call == value)`.
    public func showingFirstTest() -> BenchProblem? {
        guard language == .swift, instruction == nil, VisibleTests.of(self) == nil else { return nil }
        guard let line = tests.components(separatedBy: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.hasPrefix("assert(") && $0.hasSuffix(")") }) else { return nil }
        let inner = String(line.dropFirst("assert(".count).dropLast())
        guard let equals = VisibleTests.topLevelEquals(inner) else { return nil }
        let call = inner[..<equals.lowerBound].trimmingCharacters(in: .whitespaces)
        let value = inner[equals.upperBound...].trimmingCharacters(in: .whitespaces)
        var lines = prompt.components(separatedBy: "\n")
        guard !call.isEmpty, !value.isEmpty, let signature = lines.lastIndex(where: { $0.hasPrefix("func ") }) else { return nil }
        lines.insert(contentsOf: ["/// Example:", "/// >>> \(call)", "/// \(value)"], at: signature)
        var shown = self
        shown.prompt = lines.joined(separator: "\n")
        shown.firstTestShown = true
        return shown
    }
}
