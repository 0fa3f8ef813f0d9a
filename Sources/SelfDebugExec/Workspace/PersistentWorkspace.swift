import Foundation

/// A workspace that lives as long as the executor: each iteration writes only the files that
/// changed and keeps build folders (`.build`), so SwiftPM and friends rebuild only what changed.
final class PersistentWorkspace: @unchecked Sendable {
    let root: String
    let code: String
    let home: String
    private let lock = NSLock()
    private var written: [String: String] = [:]

    init() throws {
        root = (NSTemporaryDirectory() as NSString).appendingPathComponent("selfdebug-\(getpid())-workspace-\(UUID().uuidString.prefix(8).lowercased())")
        code = root + "/code"
        home = root + "/home"
        for folder in [code, home + "/tmp"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Makes the workspace hold exactly `files` (besides `.build`): writes what changed, removes
    /// what is gone, and rewrites any file the code under test changed or deleted.
    func sync(_ files: [String: String]) throws {
        try lock.withLock {
            for (path, content) in files {
                let full = (code as NSString).appendingPathComponent(path)
                let onDisk = FileManager.default.contents(atPath: full).map { String(decoding: $0, as: UTF8.self) }
                if written[path] == content, onDisk == content { continue }
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: full)
                try Data(content.utf8).write(to: URL(fileURLWithPath: full))
                written[path] = content
            }
            for path in written.keys where files[path] == nil {
                try? FileManager.default.removeItem(atPath: (code as NSString).appendingPathComponent(path))
                written[path] = nil
            }
        }
    }
}

