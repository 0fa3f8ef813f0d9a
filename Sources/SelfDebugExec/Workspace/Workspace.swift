import Foundation

/// A fresh temporary folder for one run of one code version: `code/` is the writable workspace
/// the sandbox sees; the rest (harness, results) stays outside it. Removed when done.
struct Workspace {
    /// The folder holding everything of this run.
    let root: String
    /// The workspace: solution and pristine tests.
    let code: String
    /// Files of selfdebug's own (harness, generated sources), not visible as workspace files.
    let support: String
    /// A private home and temporary folder for the code.
    let home: String

    static func create() throws -> Workspace {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("selfdebug-\(getpid())")
        let root = (base as NSString).appendingPathComponent(UUID().uuidString.prefix(12).lowercased())
        let workspace = Workspace(
            root: root, code: root + "/code", support: root + "/support", home: root + "/home")
        for folder in [workspace.code, workspace.support, workspace.home + "/tmp"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return workspace
    }

    /// Writes `files` (relative paths) into the workspace, replacing what is there.
    func write(_ files: [String: String], into folder: String? = nil) throws {
        let target = folder ?? code
        for (path, content) in files.sorted(by: { $0.key < $1.key }) {
            let parts = path.split(separator: "/")
            guard !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
                throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: path])
            }
            let full = (target as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Remove first, so a symlink planted at this path is replaced, not followed.
            try? FileManager.default.removeItem(atPath: full)
            try Data(content.utf8).write(to: URL(fileURLWithPath: full))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The environment the code sees: a short allow-list, nothing of the caller's.
    func environment(extra: [String: String] = [:]) -> [String: String] {
        Self.environment(home: home, binPaths: [], extra: extra)
    }

    /// The allow-listed environment for code in the sandbox: PATH (toolchain folders first), a
    /// private HOME and TMPDIR, a UTF-8 locale, and `extra`.
    static func environment(home: String, binPaths: [String], extra: [String: String]) -> [String: String] {
        var environment = [
            "PATH": (binPaths + ["/usr/local/bin", "/usr/bin", "/bin"]).joined(separator: ":"),
            "HOME": home,
            "TMPDIR": home + "/tmp",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }
}
