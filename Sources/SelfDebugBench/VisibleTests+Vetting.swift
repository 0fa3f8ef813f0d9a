import Foundation
import SelfDebugCore

/// Examples that contradict the set's reference solution are left out of the visible tests.
///
/// A prompt can be wrong (HumanEval/47's docstring says the median of `[-10, 4, 6, 1000, 10, 20]`
/// is 15.0; it is 8.0), loose (HumanEval/148 writes a one-planet tuple as `("Venus")`), mistyped
/// (HumanEval/158: `""aaaaaaa"`), or state a recurrence in the shape of an example (HumanEval/130:
/// `tri(1) = 3`, where `tri` returns a list), or contradict itself (HumanEval/116's examples do not
/// follow its own rule). Shown as a failure, such an example tells the model a
/// right answer is wrong, and no answer passes it. Each example is run alone against the reference
/// solution; those it fails are dropped (and counted in the record). The model never sees the
/// reference or what it returned: this only decides which of the prompt's examples are checked.
extension VisibleTests {
    /// The visible tests of `problem` without the examples its reference solution fails, and how
    /// many were dropped; the examples unvetted when the problem has no reference solution (and for
    /// Swift, whose sets have none). `run` runs a task's program tests against files.
    public static func vetted(
        _ problem: BenchProblem, timeout: Double, run: (ExecRequest) async throws -> ExecOutcome
    ) async throws -> (visible: VisibleTests?, leftOut: Int) {
        guard let visible = of(problem) else { return (nil, 0) }
        guard problem.language == .python, let reference = problem.canonicalSolution else { return (visible, 0) }
        func passes(_ examples: [Example]) async throws -> Bool {
            var task = problem.task(maxIterations: 1, timeout: timeout, feedback: .hidden)
            task.programTests = pythonProgram(examples)
            task.programTestsAreExamples = true
            return try await run(ExecRequest(task: task, files: [problem.solutionFile: reference])).verdict == .passed
        }
        // One run when the reference passes them all (almost every problem); else one per example.
        if try await passes(visible.examples) { return (visible, 0) }
        var kept: [Example] = []
        for example in visible.examples where try await passes([example]) { kept.append(example) }
        let leftOut = visible.examples.count - kept.count
        guard leftOut > 0 else { return (visible, 0) }
        return (kept.isEmpty ? nil : VisibleTests(examples: kept, program: pythonProgram(kept)), leftOut)
    }
}
