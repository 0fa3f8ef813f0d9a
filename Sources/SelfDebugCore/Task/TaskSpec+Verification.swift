import Foundation

extension TaskSpec {
    /// How a task's code is judged. The task's stored fields (`testCommand`, `programTests`,
    /// `programTestsAreExamples`, `tests`) encode it, so that the task's JSON (in every run folder's
    /// `run_start`) stays as it was; this names the mode they encode.
    public enum Verification: Sendable, Equatable {
        /// The test files given with the task (`tests`), restored before every run.
        case testFiles
        /// No tests were given: the agent writes its own, at `path`, before the solution.
        case agentTests(path: String)
        /// Program mode (benchmark sets): `programTests` are appended to the solution and run as one
        /// program. `examplesOnly`: they are the task's visible examples, and hidden tests judge.
        case program(examplesOnly: Bool)
        /// Project mode (`selfdebug fix`): the shell command whose exit status decides; the model may
        /// edit any project file that is not a test.
        case projectCommand(String)
    }

    /// The task's verification mode: a test command wins, then program tests, then test files;
    /// with none of them the agent writes the tests.
    public var verification: Verification {
        if let testCommand { return .projectCommand(testCommand) }
        if programTests != nil { return .program(examplesOnly: programTestsAreExamples == true) }
        return tests.isEmpty ? .agentTests(path: agentTestPath) : .testFiles
    }

    /// Whether this is a project (`selfdebug fix`): any file but the tests may change, and
    /// unchanged files are not repeated in the record.
    public var isProject: Bool {
        if case .projectCommand = verification { return true }
        return false
    }

    /// Where the agent writes its own tests when a task has none: `test_<stem>.py` (Python), or
    /// `<Module>Tests.swift` (Swift).
    var agentTestPath: String {
        let stem = ((solutionFiles.first ?? "solution") as NSString).deletingPathExtension
        switch language {
        case .python: return "test_\((stem as NSString).lastPathComponent).py"
        case .swift: return "\(resolvedModule)Tests.swift"
        }
    }
}
