import Foundation

/// Running a version against the pristine tests, failing tests twice to spot flaky ones.
extension EngineerLoop {
    /// A version's run: what happened, and which tests it fixed and broke since the last one.
    struct Ran {
        var outcome: ExecOutcome
        var delta: TestDelta
    }

    /// Runs the current files, records the run, and keeps the files when they are the best so far.
    /// `notes`: what the applier told the model, shown with the outcome.
    func run(notes: [String], _ state: inout RunState) async throws -> Ran {
        show(state.iteration, .running, state)
        let outcome = try await runChecked(ExecRequest(task: state.runTask, files: state.files), notes: notes)
        state.execSeconds += outcome.durationSeconds
        let delta = TestDelta(from: state.history.lastOutcome, to: outcome)
        try record(.exec(.init(outcome, delta: delta)), state.iteration)
        // Ctrl-C while the code ran: the record says so, and the run ends here.
        if outcome.verdict == .interrupted { throw CancellationError() }
        state.consider(outcome, files: state.files, iteration: state.iteration)
        show(state.iteration, .result, state, message: FeedbackBuilder(budget: 200).headline(outcome, task: state.runTask))
        return Ran(outcome: outcome, delta: delta)
    }

    /// Runs the code; when tests fail, runs it once more and marks the failures that pass then as flaky.
    func runChecked(_ request: ExecRequest, notes: [String]) async throws -> ExecOutcome {
        var outcome = try await runCode(request, notes: notes)
        guard configuration.rerunFailures, outcome.verdict == .testsFailed else { return outcome }
        let again = try await runCode(request, notes: [])
        if again.verdict == .interrupted {
            outcome.runs += again.runs
            outcome.verdict = .interrupted
            return outcome
        }
        outcome.notes += again.notes.filter { !outcome.notes.contains($0) }
        let passedAgain = Set(again.tests.filter(\.passed).map(\.name))
        var flaky: [String] = []
        for index in outcome.tests.indices where outcome.tests[index].failedToPass && passedAgain.contains(outcome.tests[index].name) {
            outcome.tests[index].flaky = true
            flaky.append(outcome.tests[index].name)
        }
        outcome.runs += again.runs
        if !flaky.isEmpty {
            outcome.notes.append(Prompts.flaky(flaky))
            outcome.verdict = Verdict.judging(outcome.tests)
        }
        return outcome
    }

    /// One run in the executor; a failure to run at all is a ``LoopExecutorError``.
    func runCode(_ request: ExecRequest, notes: [String]) async throws -> ExecOutcome {
        do {
            var outcome = try await executor.run(request)
            outcome.notes = notes + outcome.notes
            if Task.isCancelled || outcome.runs.contains(where: { $0.interrupted == true }) { outcome.verdict = .interrupted }
            return outcome
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LoopExecutorError(description: "the code could not be run: \(error)")
        }
    }
}
