import Foundation

/// Reading the model's reply: files it asks to see, the tests it writes when the task has none, its
/// edits applied under the task's rules, and the rule that a version that already ran is not run again.
extension EngineerLoop {
    /// What a reply gave.
    enum ReadOutcome {
        /// New files (now the state's), recorded as `code`; `notes`: what the applier refused.
        case version(notes: [String])
        /// The reply could not be run and the model was told why: the turn is spent.
        case answered
        /// The reply only asked to see files, and they were shown: a free read.
        case notATurn
    }

    /// What to do with a new version before running it.
    enum VersionCheck {
        /// Run it.
        case run
        /// It already ran: do not run it, ask again with this note (not a turn).
        case askAgain(note: String)
        /// It already ran and the re-asks are spent: start a fresh attempt.
        case restart(reason: String)
    }

    /// Reads the reply into files (its placeholders mapped back), or answers it.
    func read(_ text: String, _ state: inout RunState) throws -> ReadOutcome {
        secrets.own(text)
        let reply = secrets.restore(text)
        let (edits, problems) = ReplyParser().parse(reply)
        let reads = ReplyParser().readRequests(reply)
        if edits.isEmpty, problems.isEmpty, !reads.isEmpty { return try showFiles(reads, &state) }
        let usable = try takeAgentTests(from: edits, &state)
        switch EditApplier(task: state.runTask).apply(usable, problems: problems, to: state.files) {
        case .rejected(let message, let reason):
            try sendFeedback(message, reason: reason, &state)
            return .answered
        case .applied(let files, let changed, let notes):
            if let agentTestPath, state.runTask.tests.isEmpty {
                try sendFeedback(Prompts.noTests(path: agentTestPath), reason: "no tests", &state)
                return .answered
            }
            state.files = files
            // A project's unchanged files are not repeated in every event.
            let recorded = state.runTask.isProject ? files.filter { changed.contains($0.key) } : files
            try record(.code(.init(files: recorded, changed: changed, notes: notes)), state.iteration)
            return .version(notes: notes)
        }
    }

    /// Shows the files the model asked for (the tests too).
    func showFiles(_ paths: [String], _ state: inout RunState) throws -> ReadOutcome {
        let known = state.files.merging(state.runTask.tests) { current, _ in current }
        try sendFeedback(Prompts.shownFiles(paths, files: known), reason: "read", &state)
        // Looking at files is not an attempt: the first few reads do not use up a turn.
        guard state.freeReads > 0 else { return .answered }
        state.freeReads -= 1
        return .notATurn
    }

    /// When the agent must write the tests and has not yet: takes them from the reply (recorded
    /// as `tests_written`; from now on they are the task's) and returns the other edits.
    func takeAgentTests(from edits: [FileEdit], _ state: inout RunState) throws -> [FileEdit] {
        guard let path = agentTestPath, state.runTask.tests.isEmpty else { return edits }
        let others = edits.filter { $0.path.map(EditApplier.normalize) != path }
        if let tests = Self.agentTests(in: edits, path: path) {
            state.runTask.tests = [path: tests]
            try record(.testsWritten(.init(files: [path: tests])), state.iteration)
        }
        return others
    }

    /// The whole test file at `path` in the edits, if the reply has one.
    static func agentTests(in edits: [FileEdit], path: String) -> String? {
        for case .wholeFile(let editPath, let content) in edits where EditApplier.normalize(editPath) == path {
            return content
        }
        return nil
    }

    /// Debug and alternate: a version that already ran would only fail again, so it is not run:
    /// the model is asked again (a few times in a run), then the attempt starts afresh (when allowed).
    /// A blind sample (resample's, or repair-once's after its repair) runs as it is: those calls are
    /// the baseline's, one each.
    func vet(_ state: inout RunState) -> VersionCheck {
        let blind = configuration.strategy == .resample || repairSpent(state) && !state.askedForRepair
        if !blind, let earlier = state.history.iteration(ranSame: state.files) {
            if state.repeatsLeft > 0 {
                return .askAgain(note: Prompts.repeated(earlier, task: state.runTask, codeShown: !freshRepairs(state)))
            }
            // The model is going round in circles: repair gains fade, so start afresh.
            if configuration.restartWhenStuck { return .restart(reason: Prompts.StuckReason.identical(toIteration: earlier)) }
        }
        state.nudge = 0
        return .run
    }

    /// Asks again, hotter, with `note` added to the last request. The repeated reply leaves the
    /// conversation: a small model copies what it sees itself say (measured: the same 400
    /// characters at temperatures 0.2, 0.5 and 0.8).
    func askAgain(_ note: String, _ state: inout RunState) throws {
        try recordFeedback(note, reason: "repeated", state.iteration)
        state.repeatsLeft -= 1
        state.nudge += 0.3
        state.messages.removeLast()
        if let last = state.messages.indices.last, state.messages[last].role == .user {
            state.messages[last].content += "\n\n" + note
        } else {
            state.messages.append(ChatMessage(role: .user, content: note))
        }
    }
}
