import Foundation
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox

/// The engineer stage of a pipeline (product manager, architect, project manager, engineer, QA),
/// in-process: turns an ``EngineerRequest`` into files verified by tests in the sandbox.
///
/// ```swift
/// let stage = EngineerStage(model: model, modelName: "gpt-4o-mini", sandbox: try BubblewrapSandbox())
/// let result = try await stage.run(request, runFolder: try RunFolder.create(out: nil, slug: "todo"))
/// if result.status == "solved" { use(result.files) }
/// ```
///
/// The requirement, the design and the task list reach the model in every turn (the first
/// message is never dropped), so repairs stay inside the design.
public struct EngineerStage: Sendable {
    let model: any ChatModel
    let modelName: String
    let sandbox: any Sandbox
    let limits: ResourceLimits
    /// Loop settings (feedback mode, re-runs, restarts); `model` and `maxIterations` are set per request.
    public var loopSettings: EngineerLoop.Configuration

    /// Creates a stage that asks `model` and runs code in `sandbox` under `limits`.
    public init(model: any ChatModel, modelName: String, sandbox: any Sandbox, limits: ResourceLimits = ResourceLimits()) {
        self.model = model
        self.modelName = modelName
        self.sandbox = sandbox
        self.limits = limits
        loopSettings = EngineerLoop.Configuration(model: modelName, maxIterations: 5)
        loopSettings.outsideSecrets = SecretScope.outsideSecrets(environment: ProcessInfo.processInfo.environment)
    }

    /// The task the loop works on, from the request (and the workspace's files, when it has one).
    public static func task(for request: EngineerRequest) throws -> TaskSpec {
        let files = request.files ?? [request.language == .python ? "solution.py" : "Solution.swift"]
        var starting: [String: String] = [:]
        var tests = request.tests ?? [:]
        if let workspace = request.workspace, FileManager.default.fileExists(atPath: workspace) {
            let snapshot = try ProjectScanner.scan(workspace)
            for (path, content) in snapshot.files {
                if request.testCommand != nil, snapshot.testFiles.contains(path) { tests[path] = tests[path] ?? content } else { starting[path] = content }
            }
        }
        let body = Prompts.engineerTask(requirement: request.requirement, design: request.design, steps: request.tasks)
        var task = TaskSpec(
            title: String(request.requirement.split(separator: "\n").first ?? "engineer").prefix(60).description,
            language: request.language, solutionFiles: files, tests: tests,
            timeout: request.limits?.timeout ?? (request.language == .python ? 30 : 120),
            maxIterations: request.limits?.maxIterations ?? 5, body: body, startingFiles: starting, source: request.workspace)
        if let command = request.testCommand {
            task.testCommand = command
            task.body = Prompts.engineerProject(body, files: files, command: command, startingFiles: starting, tests: tests, language: request.language)
        }
        return task
    }

    /// Runs the request; the record goes to `runFolder`. When the tests pass and the request names
    /// a workspace, the files are written there.
    public func run(_ request: EngineerRequest, runFolder: RunFolder, progress: any ProgressSink = SilentProgress()) async throws -> EngineerResult {
        let task = try Self.task(for: request)
        let executor = try await ExecutorFactory.make(for: task, sandbox: sandbox, limits: limits)
        var configuration = loopSettings
        configuration.model = modelName
        configuration.maxIterations = task.maxIterations
        let recorder = try JSONLinesRecorder(path: runFolder.trajectory)
        let result = try await EngineerLoop(
            task: task, configuration: configuration, model: model, executor: executor, recorder: recorder, progress: progress).run()
        try runFolder.finish(result)
        // The files the stage answers with: what the model wrote (not the untouched starting files).
        let written = result.files.filter { task.startingFiles[$0.key] != $0.value }
        if result.summary.status == .solved, let workspace = request.workspace {
            let target = RunFolder(path: workspace)
            try target.write(files: written, into: ".")
            if !result.agentTests.isEmpty { try target.write(files: result.agentTests, into: ".") }
        }
        let output = result.outcome.map { FeedbackBuilder(budget: 4000).feedback(for: $0, task: task) } ?? (result.summary.error ?? "no code was run")
        return EngineerResult(
            status: result.summary.status.rawValue, files: written,
            tests: .init(passed: result.summary.testsPassed, failed: max(0, result.summary.testsTotal - result.summary.testsPassed - (result.summary.testsSkipped ?? 0)),
                         skipped: result.summary.testsSkipped ?? 0, output: output),
            iterations: result.summary.iterations,
            usage: .init(promptTokens: result.summary.promptTokens, completionTokens: result.summary.completionTokens),
            runDir: runFolder.path, verifiedBy: result.summary.verifiedBy,
            agentTests: result.agentTests.isEmpty ? nil : result.agentTests, error: result.summary.error)
    }
}

/// The executor a task needs: its test command's (project mode), or its language's runners.
public enum ExecutorFactory {
    /// Makes the executor; a missing toolchain or sandbox is ``EngineerError/unavailable(_:)``.
    public static func make(for task: TaskSpec, sandbox: any Sandbox, limits: ResourceLimits) async throws -> any Executor {
        do {
            if case .projectCommand(let command) = task.verification {
                return try await ProjectExecutor(command: command, sandbox: sandbox, limits: limits)
            }
            return try await TaskExecutor.make(for: task.language, sandbox: sandbox, limits: limits)
        } catch let error as ToolchainError {
            throw EngineerError.unavailable(error.description)
        } catch let error as SandboxUnavailable {
            throw EngineerError.unavailable(error.description)
        }
    }
}
