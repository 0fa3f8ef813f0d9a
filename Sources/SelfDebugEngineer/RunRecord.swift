import Foundation
import SelfDebugCore

/// A run folder read back: the task, the events, and each code version with its recorded outcome.
public struct RunRecord: Sendable {
    /// The folder.
    public var folder: String
    /// Every event, in order.
    public var events: [TrajectoryEvent]
    /// The `run_start` event: the model, provider, limits and settings the run had.
    public var start: TrajectoryEvent.RunStart
    /// The task as `run_start` recorded it.
    public var task: TaskSpec
    /// `summary.json`, when the run finished.
    public var summary: JSONValue?

    /// One executed code version.
    public struct Version: Sendable {
        /// Its iteration (0: the baseline of a fix run).
        public var iteration: Int
        /// The complete files of the version.
        public var files: [String: String]
        /// The recorded `exec` event.
        public var exec: TrajectoryEvent.Exec
    }

    /// Reads `trajectory.jsonl` (and `summary.json`) from `folder`.
    public init(folder: String) throws {
        self.folder = folder
        let path = (folder as NSString).appendingPathComponent("trajectory.jsonl")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunFolderError(description: "\(folder) is not a run folder: no trajectory.jsonl")
        }
        events = TrajectoryEvent.events(inJSONLines: text)
        guard let first = events.first(where: { $0.type == TrajectoryEvent.RunStart.type }) else {
            throw RunFolderError(description: "\(path) has no run_start event")
        }
        guard case .runStart(let start) = first.body else {
            throw RunFolderError(description: "\(path): the run_start task cannot be read")
        }
        self.start = start
        task = start.task
        summary = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("summary.json"))
            .flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
    }

    /// Each code version that ran, with its files rebuilt (project runs record only what changed)
    /// and its recorded `exec` event.
    public var versions: [Version] {
        var result: [Version] = []
        var current = task.startingFiles
        var pending: (Int, [String: String])?
        for event in events {
            switch event.body {
            case .code(let code):
                let files = files(after: code, current: current)
                current = files
                pending = (event.iteration, files)
            case .restart:
                current = task.startingFiles
                pending = nil
            case .exec(let exec):
                if exec.baseline {
                    result.append(Version(iteration: 0, files: task.startingFiles, exec: exec))
                } else if let (codeIteration, files) = pending, codeIteration == event.iteration {
                    result.append(Version(iteration: event.iteration, files: files, exec: exec))
                    pending = nil
                }
            default:
                break
            }
        }
        return result
    }

    /// The complete files of the version `code` records: project runs record only what changed.
    public func files(after code: TrajectoryEvent.Code, current: [String: String]) -> [String: String] {
        (task.isProject ? current : [:]).merging(code.files) { _, new in new }
    }
}

extension JSONValue {
    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let members) = self { members } else { nil } }
}
