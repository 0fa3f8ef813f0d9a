import Foundation
import SelfDebugCore
import SelfDebugEngineer

/// `engineer`: the engineer stage of a pipeline, one request in, one result out, recorded in a
/// new run folder.
public struct EngineerService: Sendable {
    /// The session's choices, configuration and reporter.
    public let session: AppSession

    /// A service that runs with `session`.
    public init(session: AppSession) { self.session = session }

    /// What the stage gave, and whether Ctrl-C stopped it.
    public struct Outcome: Sendable {
        /// The stage's result, as the pipeline reads it.
        public var result: EngineerResult
        /// Whether Ctrl-C (or SIGTERM) stopped the run.
        public var interrupted: Bool

        /// The exit status (``ExitStatus/init(for:interrupted:)-(EngineerResult,_)``).
        public var exitStatus: ExitStatus { ExitStatus(for: result, interrupted: interrupted) }
    }

    /// The request in `data` (JSON); a malformed one is bad input naming `source` (the file, or standard input).
    public static func decode(_ data: Data, from source: String) throws -> EngineerRequest {
        do {
            return try EngineerRequest.decode(data)
        } catch let error as EngineerError {
            throw AppError(.badInput, "\(error.description) (in \(source))")
        }
    }

    /// Runs the request through the engineer stage; the session's limits win over the request's.
    public func run(_ request: EngineerRequest) async throws -> Outcome {
        var request = request
        let runSettings = session.runSettings
        if runSettings.maxIterations != nil || runSettings.timeout != nil {
            var limits = request.limits ?? .init()
            limits.maxIterations = runSettings.maxIterations ?? limits.maxIterations
            limits.timeout = runSettings.timeout ?? limits.timeout
            request.limits = limits
        }
        let task = try EngineerStage.task(for: request)
        let model = try session.makeModel()
        var stage = EngineerStage(model: model.client, modelName: model.name, sandbox: try session.makeSandbox(), limits: try runSettings.limits(timeout: task.timeout))
        stage.loopSettings = session.configuration(model: model.name, task: task)
        let folder = try session.makeRunFolder(slug: "engineer-" + task.slug)
        session.say("selfdebug engineer · \(task.title ?? "") (\(task.language.rawValue)) · model \(model.name) · run folder: \(folder.path)")
        let progress: any ProgressSink = session.talk ? session.reporter : SilentProgress()
        let run = try await session.interruptible(reporting: folder.path) { [stage, request] in
            try await stage.run(request, runFolder: folder, progress: progress)
        }
        return Outcome(result: run.value, interrupted: run.interrupted)
    }
}
