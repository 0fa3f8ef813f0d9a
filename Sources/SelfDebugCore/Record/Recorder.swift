import Foundation

/// The seam where a run's events go.
///
/// Implementations: ``JSONLinesRecorder`` (the run folder's `trajectory.jsonl`) and
/// ``MemoryRecorder`` for tests.
public protocol Recorder: Sendable {
    /// Records one event, durably, before returning.
    func record(_ event: TrajectoryEvent) throws
}

/// Keeps events in memory.
public final class MemoryRecorder: Recorder, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [TrajectoryEvent] = []

    /// Creates an empty recorder.
    public init() {}

    /// The events so far.
    public var events: [TrajectoryEvent] { lock.withLock { storage } }

    /// Keeps the event.
    public func record(_ event: TrajectoryEvent) {
        lock.withLock { storage.append(event) }
    }
}

/// Appends one JSON line per event to a file, written straight through to the file system so
/// that an interrupted run leaves every event before the interruption.
public final class JSONLinesRecorder: Recorder, @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle
    /// The file's path.
    public let path: String

    /// Opens (creating or truncating) the file at `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// Writes the event's line and syncs it.
    public func record(_ event: TrajectoryEvent) throws {
        let line = event.jsonLine + "\n"
        try lock.withLock {
            try handle.write(contentsOf: Data(line.utf8))
            try handle.synchronize()
        }
    }
}

/// Records to several recorders at once.
public struct FanOutRecorder: Recorder {
    let recorders: [any Recorder]

    /// Creates a recorder that forwards to each of `recorders`.
    public init(_ recorders: [any Recorder]) { self.recorders = recorders }

    /// Forwards the event.
    public func record(_ event: TrajectoryEvent) throws {
        for recorder in recorders { try recorder.record(event) }
    }
}
