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

    /// A note for the model and the record when stray files were removed.
    static func removalNote(_ removed: [String]) -> [String] {
        guard !removed.isEmpty else { return [] }
        let shown = removed.prefix(8).joined(separator: ", ") + (removed.count > 8 ? ", ... (\(removed.count) in all)" : "")
        return ["Removed before this run: \(shown), created by the code under test in an earlier run. Every run starts from the project's files and build products only."]
    }

    /// Folders of build products kept between iterations (what makes a persistent workspace fast).
    static let buildFolders: Set<String> = [".build", "__pycache__", ".pytest_cache", ".swiftpm", ".mypy_cache", ".ruff_cache"]

    /// Makes the workspace hold exactly `files` plus build products: writes what changed, removes
    /// what is gone, rewrites any file the code under test changed or deleted, and removes anything
    /// else the code under test created (a `conftest.py` or `sitecustomize.py` written at run time
    /// must not change how later iterations' tests run). The private home starts empty every time.
    /// Returns the paths it removed that the code under test had created, relative to the workspace
    /// (`~/` for the home), each reported once per workspace.
    @discardableResult
    func sync(_ files: [String: String]) throws -> [String] {
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
            var removed = removeStrays(in: code, keeping: Set(files.keys))
            removed += removeStrays(in: home, keeping: []).filter { $0 != "tmp" }.map { "~/" + $0 }
            try FileManager.default.createDirectory(atPath: home + "/tmp", withIntermediateDirectories: true)
            let fresh = removed.filter { reported.insert($0).inserted }
            return fresh
        }
    }

    private var reported: Set<String> = []

    /// Removes every file and folder under `root` that is neither in `keeping`, nor a folder on the
    /// way to one, nor a build folder; returns their relative paths (a removed folder once).
    private func removeStrays(in root: String, keeping: Set<String>) -> [String] {
        var folders: Set<String> = [""]
        for path in keeping {
            var parent = (path as NSString).deletingLastPathComponent
            while !parent.isEmpty, folders.insert(parent).inserted { parent = (parent as NSString).deletingLastPathComponent }
        }
        var removed: [String] = []
        func visit(_ relative: String) {
            let full = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: full) else { return }
            for name in entries.sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                if keeping.contains(child) { continue }
                if Self.buildFolders.contains(name) || name.hasSuffix(".egg-info") || (relative.isEmpty && name == "Package.resolved") { continue }
                var isFolder: ObjCBool = false
                let childPath = (root as NSString).appendingPathComponent(child)
                let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: childPath)) != nil
                if !isLink, FileManager.default.fileExists(atPath: childPath, isDirectory: &isFolder), isFolder.boolValue, folders.contains(child) {
                    visit(child)
                    continue
                }
                if (try? FileManager.default.removeItem(atPath: childPath)) != nil { removed.append(child) }
            }
        }
        visit("")
        return removed
    }
}
