import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// Which GGUF file the embedded local model loads: the default (Qwen2.5-Coder-1.5B-Instruct), the
/// small one (Qwen2.5-Coder-0.5B-Instruct), or a GGUF file of the user's. Chosen by
/// `--local-model`, `SELFDEBUG_LOCAL_MODEL`, then the configuration's `local_model`.
public struct LocalModelChoice: Sendable, Equatable {
    /// The name people read, e.g. `Qwen2.5-Coder-1.5B-Instruct`.
    public var displayName: String
    /// The name the server answers to (its `--model_alias`).
    public var alias: String
    /// The GGUF file's name under the installation's `models/` folder, or a full path.
    public var file: String
    /// The exact size in bytes, when pinned (the built-in models).
    public var bytes: Int?
    /// The SHA-256 (lowercase hex), when pinned (the built-in models).
    public var sha256: String?
    /// What `scripts/install-local-model.sh` needs to install it (`""` or `--small`).
    public var installFlag: String
    /// Whether it is one of the built-in models (not a file of the user's).
    public var isBuiltIn: Bool { sha256 != nil }

    /// Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (Apache-2.0): the default.
    public static let standard = LocalModelChoice(
        displayName: "Qwen2.5-Coder-1.5B-Instruct", alias: "qwen2.5-coder-1.5b-instruct",
        file: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", bytes: 1_117_320_768,
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", installFlag: "")

    /// Qwen2.5-Coder-0.5B-Instruct, Q4_K_M (Apache-2.0): `--local-model small`.
    public static let small = LocalModelChoice(
        displayName: "Qwen2.5-Coder-0.5B-Instruct", alias: "qwen2.5-coder-0.5b-instruct",
        file: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", bytes: 491_400_064,
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", installFlag: "--small")

    /// What `--local-model` and `local_model` accept, for messages.
    public static let accepted = "small, default, or the path of a .gguf file"

    /// Parses `small`, `default` or a `.gguf` path; nil for anything else.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "small", "0.5b": self = .small
        case "default", "1.5b", "": self = .standard
        default:
            guard text.lowercased().hasSuffix(".gguf") else { return nil }
            let name = ((text as NSString).lastPathComponent as NSString).deletingPathExtension
            self.init(displayName: name, alias: name.lowercased(), file: text, bytes: nil, sha256: nil, installFlag: "")
        }
    }

    /// A model with every detail given (tests, or a file of the user's with a pinned size and hash).
    public init(displayName: String, alias: String, file: String, bytes: Int?, sha256: String?, installFlag: String) {
        self.displayName = displayName
        self.alias = alias
        self.file = file
        self.bytes = bytes
        self.sha256 = sha256
        self.installFlag = installFlag
    }

    /// The choice by precedence: the flag, `SELFDEBUG_LOCAL_MODEL`, the configuration, else the default.
    public static func resolve(flag: String?, environment: [String: String], configured: String?) throws -> LocalModelChoice {
        let candidates: [(String?, String)] = [(flag, "--local-model"), (environment["SELFDEBUG_LOCAL_MODEL"], "SELFDEBUG_LOCAL_MODEL"), (configured, "local_model")]
        for (value, source) in candidates {
            guard let value, !value.isEmpty else { continue }
            guard let choice = LocalModelChoice(value) else {
                throw ModelError(.badRequest, "\(source) '\(value)' is not a local model: use \(accepted)")
            }
            return choice
        }
        return .standard
    }

    /// The GGUF file's full path in the installation `home`.
    public func path(home: String) -> String {
        file.hasPrefix("/") || !isBuiltIn ? file : (home as NSString).appendingPathComponent("models/" + file)
    }

    /// The command that installs it, for messages.
    public var installCommand: String {
        "scripts/install-local-model.sh" + (installFlag.isEmpty ? "" : " " + installFlag)
    }
}

/// Checks a GGUF file before the server loads it: its size every time (cheap), its SHA-256 once,
/// recorded in a `.verified` stamp beside it (size, mtime and hash) so later starts skip the hash.
public enum LocalModelWeights {
    /// The file's size in bytes, or nil when it is missing.
    public static func size(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size].flatMap { ($0 as? NSNumber)?.intValue }
    }

    /// The stamp line for the file as it is now: `SIZE MTIME SHA256`.
    static func stamp(path: String, size: Int, sha256: String) -> String? {
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
        return "\(size) \(Int(modified.timeIntervalSince1970)) \(sha256)"
    }

    /// Throws unless `choice`'s file exists and passes its checks; hashes at most once per file version.
    /// `hash` computes a file's SHA-256 (lowercase hex); by default with `sha256sum` or Python.
    public static func verify(_ choice: LocalModelChoice, home: String, hash: (String) throws -> String = sha256) throws {
        let path = choice.path(home: home)
        guard let size = size(of: path) else {
            throw ModelError(.unavailable, "the local model \(choice.displayName) is not installed (no \(path)); install it with \(choice.installCommand)")
        }
        guard let expectedSize = choice.bytes, let expectedHash = choice.sha256 else { return }
        guard size == expectedSize else {
            throw ModelError(.unavailable, "\(path) has \(size) bytes, not \(expectedSize): an unfinished or damaged install; run \(choice.installCommand) again")
        }
        let stampPath = path + ".verified"
        let recorded = (try? String(contentsOfFile: stampPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let current = stamp(path: path, size: size, sha256: expectedHash), recorded == current { return }
        let actual = try hash(path)
        guard actual == expectedHash else {
            throw ModelError(.unavailable, "\(path) has SHA-256 \(actual), not \(expectedHash): a damaged file; delete it and run \(choice.installCommand) again")
        }
        if let current = stamp(path: path, size: size, sha256: expectedHash) {
            try? (current + "\n").write(toFile: stampPath, atomically: true, encoding: .utf8)
        }
    }

    /// A file's SHA-256 by `sha256sum` (coreutils), else `python3`'s hashlib.
    public static func sha256(_ path: String) throws -> String {
        let tools: [(String, [String])] = [
            ("/usr/bin/sha256sum", [path]), ("/bin/sha256sum", [path]),
            ("/usr/bin/python3", ["-c", "import hashlib,sys\nh=hashlib.sha256()\nf=open(sys.argv[1],'rb')\nfor b in iter(lambda: f.read(1<<20), b''): h.update(b)\nprint(h.hexdigest())", path]),
        ]
        for (tool, arguments) in tools where FileManager.default.isExecutableFile(atPath: tool) {
            // Output to a file, not a pipe: a pipe's write end could leak into a process another
            // thread spawns meanwhile, and the read would then wait for that process to end.
            let output = NSTemporaryDirectory() + "selfdebug-sha256-\(getpid())-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let child: SpawnedProcess
            do {
                child = try ProcessRunner.spawn(tool, arguments: arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
                                                standardOutput: .appending(to: output), standardError: .sameAsStandardOutput)
            } catch {
                throw ModelError(.unavailable, "cannot compute the SHA-256 of \(path): \(error)")
            }
            let exit = child.waitUntilExit()
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if exit == .exited(0), let digest = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first, digest.count == 64 {
                return digest.lowercased()
            }
        }
        throw ModelError(.unavailable, "cannot compute the SHA-256 of \(path) (neither sha256sum nor python3 found)")
    }
}
