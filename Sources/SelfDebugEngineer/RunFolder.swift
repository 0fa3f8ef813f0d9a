import Foundation
import SelfDebugCore

/// A run's folder: `trajectory.jsonl`, `summary.json`, `solution/`.
public struct RunFolder: Sendable {
    /// The folder.
    public let path: String

    /// A run folder at `path` (created by ``create(out:slug:now:)``).
    public init(path: String) { self.path = path }

    /// `--out`, else `selfdebug-runs/<UTC time>-<slug>/` under the current folder. Refuses a folder
    /// that already holds a run, so no record is ever overwritten.
    public static func create(out: String?, slug: String, now: Date = Date()) throws -> RunFolder {
        let path: String
        if let out {
            path = out
        } else {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            var candidate = "selfdebug-runs/\(formatter.string(from: now))-\(slug)"
            var suffix = 2
            while FileManager.default.fileExists(atPath: candidate) {
                candidate = "selfdebug-runs/\(formatter.string(from: now))-\(slug)-\(suffix)"
                suffix += 1
            }
            path = candidate
        }
        if FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("trajectory.jsonl")) {
            throw RunFolderError(description: "\(path) already holds a run; choose another --out")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RunFolderError(description: "cannot create the run folder \(path): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw RunFolderError(description: "cannot write in the run folder \(path); choose another --out")
        }
        return RunFolder(path: path)
    }

    /// `trajectory.jsonl`'s path.
    public var trajectory: String { (path as NSString).appendingPathComponent("trajectory.jsonl") }

    /// Writes `summary.json`, `solution/` and, when the agent wrote them, `agent_tests/`.
    public func finish(_ result: RunResult) throws {
        try write(files: result.files, into: "solution")
        if !result.agentTests.isEmpty { try write(files: result.agentTests, into: "agent_tests") }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(result.summary).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent("summary.json")))
    }

    /// Writes `files` (relative paths, never outside) under the folder's `folder`.
    public func write(files: [String: String], into folder: String) throws {
        let base = (path as NSString).appendingPathComponent(folder)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for (relative, content) in files {
            let parts = relative.split(separator: "/")
            guard !relative.hasPrefix("/"), !parts.contains("..") else { continue }
            let full = (base as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: full))
        }
    }
}

/// The run folder cannot be made (bad `--out`).
public struct RunFolderError: Error, CustomStringConvertible {
    /// What is wrong.
    public var description: String
}
