import Foundation
import SelfDebugCore

/// A run folder read back: the task, the events, and each code version with its recorded outcome.
public struct RunRecord: Sendable {
    /// The folder.
    public var folder: String
    /// Every event, in order.
    public var events: [JSONValue]
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
        public var exec: JSONValue
    }

    /// Reads `trajectory.jsonl` (and `summary.json`) from `folder`.
    public init(folder: String) throws {
        self.folder = folder
        let path = (folder as NSString).appendingPathComponent("trajectory.jsonl")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunFolderError(description: "\(folder) is not a run folder: no trajectory.jsonl")
        }
        events = text.split(separator: "\n").compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        guard let start = events.first(where: { $0["type"]?.stringValue == "run_start" }), let task = start["task"] else {
            throw RunFolderError(description: "\(path) has no run_start event")
        }
        do {
            // Only the task's own keys are snake_case; file names inside must stay as they are.
            var members: [String: JSONValue] = [:]
            for (key, value) in task.objectValue ?? [:] { members[Self.camelCase(key)] = value }
            self.task = try JSONDecoder().decode(TaskSpec.self, from: Data(JSONValue.object(members).serialized().utf8))
        } catch {
            throw RunFolderError(description: "\(path): the run_start task cannot be read: \(error)")
        }
        summary = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("summary.json"))
            .flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
    }

    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "_")
        guard let first = parts.first else { return key }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Each code version that ran, with its files rebuilt (project runs record only what changed)
    /// and its recorded `exec` event.
    public var versions: [Version] {
        var result: [Version] = []
        var current = task.startingFiles
        var pending: (Int, [String: String])?
        for event in events {
            let iteration = event["iteration"]?.intValue ?? 0
            switch event["type"]?.stringValue {
            case "code":
                var files = task.testCommand == nil ? [:] : current
                for (path, value) in event["files"]?.objectValue ?? [:] { files[path] = value.stringValue ?? "" }
                current = files
                pending = (iteration, files)
            case "restart":
                current = task.startingFiles
                pending = nil
            case "exec":
                if event["baseline"]?.boolValue == true {
                    result.append(Version(iteration: 0, files: task.startingFiles, exec: event))
                } else if let (codeIteration, files) = pending, codeIteration == iteration {
                    result.append(Version(iteration: iteration, files: files, exec: event))
                    pending = nil
                }
            default:
                break
            }
        }
        return result
    }

    /// The events of one type.
    public func events(_ type: String) -> [JSONValue] { events.filter { $0["type"]?.stringValue == type } }
}

extension JSONValue {
    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let members) = self { members } else { nil } }
}
