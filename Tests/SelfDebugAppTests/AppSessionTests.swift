import Foundation
import Testing
import SelfDebugApp
import SelfDebugCore
import SelfDebugModels
import TestSupport

/// The session reads the configuration files under the flags and the environment, and turns
/// their choices into the loop's configuration.
@Suite("Application session")
struct AppSessionTests {
    /// Remembers what a session tells.
    final class RecordingReporter: RunReporter, @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func say(_ text: String) { lock.withLock { lines.append(text) } }
        func update(_ progress: ProgressUpdate) {}
        var said: [String] { lock.withLock { lines } }
    }

    /// A project folder with `project` as its `.selfdebug.yml`, and a user configuration folder with `user` as its config.yml.
    static func folders(project: String?, user: String?) throws -> (project: String, environment: [String: String]) {
        let root = try TemporaryFolder.make(prefix: "app-session")
        let projectFolder = root + "/project", configHome = root + "/config"
        try FileManager.default.createDirectory(atPath: projectFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: configHome + "/selfdebug", withIntermediateDirectories: true)
        if let project { try project.write(toFile: projectFolder + "/.selfdebug.yml", atomically: true, encoding: .utf8) }
        if let user { try user.write(toFile: configHome + "/selfdebug/config.yml", atomically: true, encoding: .utf8) }
        return (projectFolder, ["XDG_CONFIG_HOME": configHome, "HOME": root])
    }

    static func session(_ selection: ModelSelection = ModelSelection(), _ run: RunSettings = RunSettings(), project: String?, user: String?,
                        environment extra: [String: String] = [:]) throws -> AppSession {
        let (project, environment) = try folders(project: project, user: user)
        return try AppSession(modelSelection: selection, runSettings: run, reporter: RecordingReporter(), quiet: true,
                              environment: environment.merging(extra) { _, new in new }, projectFolder: project)
    }

    @Test func theProjectFileWinsOverTheUserFile() throws {
        let session = try Self.session(project: "provider: anthropic\n", user: "provider: local\nmodel: user-model\n")
        #expect(session.provider == .anthropic)
        #expect(session.settings.model == "user-model")
    }

    @Test func theUserFileDecidesWhenNothingElseDoes() throws {
        #expect(try Self.session(project: nil, user: "provider: openai\n").provider == .openAICompatible)
        #expect(try Self.session(project: nil, user: nil).provider == .local)
    }

    @Test func theEnvironmentAndTheFlagsWinOverBothFiles() throws {
        #expect(try Self.session(project: "provider: local\n", user: nil, environment: ["SELFDEBUG_PROVIDER": "anthropic"]).provider == .anthropic)
        #expect(try Self.session(ModelSelection(provider: "openai"), project: "provider: local\n", user: nil, environment: ["SELFDEBUG_PROVIDER": "anthropic"]).provider == .openAICompatible)
    }

    @Test func aBadConfigurationFileIsBadInputNamingTheFile() throws {
        do {
            _ = try Self.session(project: "max_iterations: many\n", user: nil)
            Issue.record("a bad configuration file was accepted")
        } catch let error as AppError {
            #expect(error.kind == .badInput)
            #expect(error.description.contains(".selfdebug.yml"))
            #expect(error.description.contains("max_iterations"))
        }
    }

    @Test func theLocalModelGetsItsSmallContextAndShortReplies() throws {
        let task = TaskSpec(language: .python, solutionFiles: ["a.py"], tests: [:], maxIterations: 4, body: "")
        let local = try Self.session(project: "provider: local\n", user: nil).configuration(model: "default", task: task)
        #expect(local.contextTokens == LocalModelServer.contextTokens)
        #expect(local.maxTokens <= 1024)
        #expect(local.maxIterations == 4)
        let remote = try Self.session(project: "provider: openai\n", user: nil).configuration(model: "gpt-4o-mini", task: task)
        #expect(remote.contextTokens == 128_000)
    }

    @Test func flagsWinOverTheConfigurationInTheLoopsSettings() throws {
        var run = RunSettings()
        run.feedback = .simple
        run.maxTokens = 5000
        let task = TaskSpec(language: .python, solutionFiles: ["a.py"], tests: [:], maxIterations: 2, body: "")
        let configuration = try Self.session(ModelSelection(), run, project: "provider: openai\nfeedback: explain\nmax_tokens: 9000\ncontext_tokens: 32000\n", user: nil)
            .configuration(model: "gpt-4o-mini", task: task)
        #expect(configuration.feedbackMode == .simple)
        #expect(configuration.maxTotalTokens == 5000)
        #expect(configuration.contextTokens == 32000)
    }

    @Test func benchmarkProblemsGetFreshRepairsAndTasksWithTestsRewrites() throws {
        let withTests = TaskSpec(language: .python, solutionFiles: ["a.py"], tests: ["test_a.py": "def test_a(): pass\n"], maxIterations: 2, body: "")
        var problem = TaskSpec(language: .swift, solutionFiles: ["main.swift"], tests: [:], maxIterations: 2, body: "")
        problem.programTests = "assert(f() == 1)\n"
        problem.programTestsAreExamples = true
        let session = try Self.session(project: "provider: openai\n", user: nil)
        #expect(session.configuration(model: "m", task: withTests).conversation == .rewrite)
        #expect(session.configuration(model: "m", task: problem).conversation == .fresh)
        // A flag wins over the default.
        var run = RunSettings()
        run.conversation = .full
        #expect(try Self.session(ModelSelection(), run, project: "provider: openai\n", user: nil).configuration(model: "m", task: problem).conversation == .full)
        // Explaining or tracing the failing code needs the code in the request: rewrite.
        for mode in [FeedbackMode.explain, .trace] {
            var explained = RunSettings()
            explained.feedback = mode
            #expect(try Self.session(ModelSelection(), explained, project: "provider: openai\n", user: nil).configuration(model: "m", task: problem).conversation == .rewrite)
        }
    }

    @Test func aCostCapNeedsTheModelsPrice() throws {
        var run = RunSettings()
        run.maxCost = 0.5
        let session = try Self.session(ModelSelection(), run, project: "provider: openai\nprices:\n  priced-model: {input: 1.0, output: 2.0}\n", user: nil)
        #expect(throws: Never.self) { try session.checkBudget(model: "priced-model") }
        #expect(throws: AppError.self) { try session.checkBudget(model: "unpriced-model") }
        // The local model is free: a cap never needs its price.
        #expect(throws: Never.self) { try Self.session(ModelSelection(), run, project: "provider: local\n", user: nil).checkBudget(model: "default") }
    }

    @Test func limitsBelowOneAreBadUsage() throws {
        var run = RunSettings()
        run.memoryLimit = 0
        #expect(throws: AppError(.badInput, "--memory-limit must be at least 1, not 0")) { try run.limits(timeout: 10) }
        run.memoryLimit = 512
        let limits = try run.limits(timeout: 9.5)
        #expect(limits.memoryBytes == 512 << 20)
        #expect(limits.cpuSeconds == 10)
    }
}
