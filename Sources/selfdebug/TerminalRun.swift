import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugEngineer

/// The terminal's side of a run: the application session made from the flags (progress on
/// standard error, `--verbose`'s echo), the closing report, and the exit status.
struct TerminalRun {
    /// Progress and notices on standard error.
    let terminal: TerminalProgress
    /// The session the services run with.
    var session: AppSession
    /// Whether the summary is printed as JSON on standard output (`--json`).
    let json: Bool

    /// Loads the configuration files; a bad one is bad input (exit 2).
    init(modelOptions: ModelOptions, runOptions: RunOptions) throws {
        try self.init(modelSelection: modelOptions.selection, runOptions: runOptions)
    }

    /// A session with `modelSelection`, for commands without model flags (`replay`: a
    /// `ModelOptions` that was never parsed cannot be read).
    init(modelSelection: ModelSelection, runOptions: RunOptions) throws {
        let terminal = TerminalProgress()
        self.terminal = terminal
        json = runOptions.json
        session = try AppSession(modelSelection: modelSelection, runSettings: runOptions.settings, reporter: terminal, quiet: runOptions.quiet)
        if runOptions.verbose && !runOptions.quiet { session.echo = VerboseEcho(progress: terminal) }
    }

    /// Ends the command with `status` (nothing to do for 0).
    static func exit(with status: ExitStatus) throws {
        if status != .solved { throw ExitCode(status.rawValue) }
    }

    /// The JSON summary (with `--json`) and the closing lines.
    func report(_ run: LoopRun, extra: [String: String] = [:], output: String) {
        let summary = run.result.summary
        if json {
            var json = JSONValue(encoding: summary)
            if case .object(var members) = json {
                for (key, value) in extra { members[key] = .string(value) }
                json = .object(members)
            }
            FileHandle.standardOutput.write(Data((json.serialized() + "\n").utf8))
        }
        guard session.talk else {
            if let error = summary.error, summary.status == .error { terminal.say("selfdebug: \(error)") }
            return
        }
        let tokens = TerminalProgress.tokens(summary.promptTokens + summary.completionTokens)
        let timing = String(format: "%.1f s, of which %.1f s running code", summary.wallSeconds, summary.execSeconds)
        switch summary.status {
        case .solved:
            terminal.say("solved in \(summary.iterations) iteration\(summary.iterations == 1 ? "" : "s") (\(tokens) tokens, \(timing))"
                + (summary.verifiedBy == "agent_tests" ? "; verified by the agent's own tests only" : ""))
        case .unsolved where summary.stopReason == .budget:
            terminal.say("not solved: stopped so as not to overshoot the budget: \(summary.error ?? "") (best version passes \(summary.testsPassed)/\(summary.testsTotal) tests)")
        case .unsolved:
            terminal.say("not solved in \(summary.iterations) iterations: best version passes \(summary.testsPassed)/\(summary.testsTotal) tests (\(tokens) tokens, \(timing))")
        case .error:
            terminal.say("stopped: \(summary.error ?? summary.stopReason.rawValue)")
        }
        terminal.say(output + "  record: \(run.folder.trajectory)")
    }
}

extension TerminalProgress: RunReporter {}
