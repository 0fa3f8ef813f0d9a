import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugEngineer

/// `selfdebug solve TASK.md`.
struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve a task file: write code until its tests pass; the final files land in the run folder's solution/.")

    @Argument(help: "The task file (Markdown with YAML front matter); not needed with --resume.")
    var taskFile: String?

    @Option(help: "Continue a run from its folder: the recorded replies are served (matched by a hash of the request) until the record runs out, then the model takes over; the new run gets its own folder.")
    var resume: String?

    @Option(name: .customLong("from-step"), help: "With --resume: serve the recorded replies only before this iteration, and ask the model from it on (a new branch).")
    var fromStep: Int?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    func run() async throws {
        var run = try TerminalRun(modelOptions: modelOptions, runOptions: runOptions)
        guard taskFile != nil || resume != nil else {
            throw AppError(.badInput, "give a task file, or --resume RUN_DIR")
        }
        if fromStep != nil, resume == nil { throw AppError(.badInput, "--from-step needs --resume RUN_DIR") }
        if let fromStep, fromStep < 1 { throw AppError(.badInput, "--from-step must be at least 1") }
        var recordedTask: TaskSpec?
        if let resume {
            let record = try RunRecord.opened(resume)
            recordedTask = record.task
            // The same model name, or no request would match the record.
            if run.session.modelSelection.model == nil, !record.start.model.isEmpty {
                run.session.modelSelection.model = record.start.model
            }
            run.session.recordedReplies = RecordedModel.replies(in: record.events, beforeIteration: fromStep ?? Int.max)
            run.session.recordedStart = record.start
            run.session.say("resuming from \(resume): \(run.session.recordedReplies?.count ?? 0) recorded replies to serve" + (fromStep.map { " (before iteration \($0))" } ?? ""))
        }
        let solved = try await SolveService(session: run.session).solve(.init(taskFile: taskFile, recordedTask: recordedTask))
        run.report(solved, output: "solution: \((solved.folder.path as NSString).appendingPathComponent("solution"))/")
        try TerminalRun.exit(with: solved.exitStatus)
    }
}
