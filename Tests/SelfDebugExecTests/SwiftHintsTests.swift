import Foundation
import Testing
import SelfDebugCore
import SelfDebugSandbox
@testable import SelfDebugExec

/// Swift build errors whose fix is certain get a plain hint, keyed on the compiler's own words.
@Suite("Swift hints")
struct SwiftHintsTests {
    /// Builds `solution` in program mode (the benchmark's way) and returns the outcome.
    func build(_ solution: String) async throws -> ExecOutcome {
        let task = TaskSpec(language: .swift, solutionFiles: ["Solution.swift"], tests: [:], timeout: 60, maxIterations: 1, body: "")
        var program = task
        program.programTests = "assert(true)\n"
        let executor = try await TaskExecutor.make(for: .swift, sandbox: try BubblewrapSandbox())
        return try await executor.run(ExecRequest(task: program, files: ["Solution.swift": solution]))
    }

    /// What a small model wrote for MultiPL-E's HumanEval_151 in Swift, and the idioms it missed.
    @Test func pythonIsmsGetTheSwiftIdiom() async throws {
        let outcome = try await build("""
            func f(lst: [Double], s: String, xs: [Int]) -> Int {
                var sum = 0
                for num in lst where num % 2 != 0 {
                    sum += num * num
                }
                let c = s[0]
                xs.append(1)
                return sum + c.count
            }
            """)
        #expect(outcome.verdict == .buildFailed)
        let notes = outcome.notes.joined(separator: "\n")
        #expect(notes.contains("x.truncatingRemainder(dividingBy: 2)"), "\(outcome.diagnostics.map(\.message))")
        #expect(notes.contains("never converts between number types"), "\(outcome.diagnostics.map(\.message))")
        #expect(notes.contains("Array(s)"), "\(outcome.diagnostics.map(\.message))")
        #expect(notes.contains("var xs = xs"), "\(outcome.diagnostics.map(\.message))")
        // Each hint once, however many errors it answers.
        #expect(Set(outcome.notes).count == outcome.notes.count)
    }

    @Test func charactersStringIndicesAndLetConstants() async throws {
        let outcome = try await build("""
            func g(s: String, n: Int) -> String {
                var out = ""
                for c in s { out += c }
                n += 1
                let i: Int = s.firstIndex(of: "a")!
                return out
            }
            """)
        let notes = outcome.notes.joined(separator: "\n")
        #expect(notes.contains("`String(c)`"), "\(outcome.diagnostics.map(\.message))")
        #expect(notes.contains("var xs = xs"), "\(outcome.diagnostics.map(\.message))")
        #expect(notes.contains("Array(s)"), "\(outcome.diagnostics.map(\.message))")
    }

    @Test func noHintForErrorsWithoutACertainFix() {
        let diagnostics = [Diagnostic(file: "Solution.swift", line: 3, column: 5, severity: "error", message: "cannot find 'helper' in scope")]
        #expect(SwiftHints.notes(diagnostics, output: "").isEmpty)
        let foundation = [Diagnostic(file: "Solution.swift", line: 3, column: 5, severity: "error", message: "cannot find 'sqrt' in scope")]
        #expect(SwiftHints.notes(foundation, output: "") == ["On Linux, sqrt need `import Foundation` at the top of the file that uses them."])
    }
}
