import Foundation
import SelfDebugProcessRecord

/// The sandbox cannot be used: bubblewrap is missing or cannot start.
public struct SandboxUnavailable: Error, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var description: String
}

/// Runs commands under bubblewrap: new pid, net, ipc, uts (and, when not root, user) namespaces;
/// a read-only view of the system and toolchain folders and nothing else of the host; the
/// workspace as the only writable folder besides a private /tmp; no capabilities; an
/// unprivileged uid; kernel limits set by `prlimit` inside. Sandbox/README.md has the threat model.
public struct BubblewrapSandbox: Sandbox {
    let bwrap: String
    let prlimit: String
    let setpriv: String?
    let asRoot: Bool
    /// The uid and gid the code runs as when selfdebug runs as root.
    static let sandboxID: UInt32 = 65534

    /// Finds bubblewrap (`bwrap`, or the program given) and the tools it needs; throws
    /// ``SandboxUnavailable`` with the command that installs what is missing.
    public init(bwrapProgram: String = "bwrap") throws {
        guard let bwrap = Toolchain.find(bwrapProgram) else {
            throw SandboxUnavailable(description: "bubblewrap (bwrap) is not installed; install it with: sudo apt-get install -y bubblewrap "
                + "(or run with --sandbox none to run generated code WITHOUT isolation)")
        }
        guard let prlimit = Toolchain.find("prlimit") else {
            throw SandboxUnavailable(description: "prlimit is not installed; install it with: sudo apt-get install -y util-linux")
        }
        self.bwrap = bwrap
        self.prlimit = prlimit
        asRoot = geteuid() == 0
        setpriv = Toolchain.find("setpriv")
        if asRoot, setpriv == nil {
            throw SandboxUnavailable(description: "setpriv is needed to drop root inside the sandbox; install it with: sudo apt-get install -y util-linux")
        }
    }

    /// What is enforced.
    public var description: String {
        "bubblewrap: new pid, net, ipc, uts\(asRoot ? "" : ", user") namespaces; no network; read-only system and toolchain folders; "
            + "writable workspace copy and private /tmp only; uid \(asRoot ? "65534 (dropped from root)" : "\(getuid()) in a user namespace"), no capabilities"
    }

    /// Checks once that a trivial command runs in the sandbox (fails closed when it does not).
    public func probe() async throws {
        let folder = NSTemporaryDirectory() + "selfdebug-probe-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try await self.run(SandboxCommand(
            phase: "probe", argv: ["/bin/true"], workspace: folder, environment: ["PATH": "/usr/bin:/bin"], timeout: 10,
            limits: ResourceLimits()))
        guard run.exitStatus == 0 else {
            throw SandboxUnavailable(description: "bubblewrap could not start a sandbox here (exit \(run.exitStatus ?? -1)): "
                + run.stderr.text.trimmingCharacters(in: .whitespacesAndNewlines)
                + ". Unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1), or use --sandbox none (no isolation).")
        }
    }

    /// Runs the command inside a new sandbox.
    public func run(_ command: SandboxCommand) async throws -> CommandRun {
        if asRoot {
            // The code runs as an unprivileged uid: give it the workspace and the writable paths.
            Self.chown(command.workspace, recursive: true)
            for path in command.writablePaths { Self.chown(path, recursive: false) }
        }
        var spec = ProcessSpec(
            executable: bwrap, arguments: arguments(for: command),
            environment: command.environment, workingDirectory: command.workspace, timeout: command.timeout)
        spec.keepHeadBytes = command.limits.outputHeadTailBytes
        spec.keepTailBytes = command.limits.outputHeadTailBytes
        var result = try await ProcessRunner.run(spec)
        // bubblewrap reports a child killed by signal N as exit status 128 + N.
        if let status = result.exitStatus, result.signal == nil, status > 128, status <= 128 + 64 {
            result.signal = status - 128
            result.exitStatus = nil
        }
        var record = CommandRun(result: result, command: command)
        record.command = command.argv
        return record
    }

    /// bubblewrap's arguments: namespaces, the read-only system, the binds, then the limits and the command.
    func arguments(for command: SandboxCommand) -> [String] {
        var args = [
            "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--hostname", "sandbox",
            "--ro-bind", "/usr", "/usr",
        ]
        if !asRoot { args += ["--unshare-user", "--cap-drop", "ALL"] }
        for link in ["lib", "lib64", "bin", "sbin", "lib32", "libx32"] {
            let host = "/" + link
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: host) {
                args += ["--symlink", target, host]
            } else if FileManager.default.fileExists(atPath: host) {
                args += ["--ro-bind", host, host]
            }
        }
        // The dynamic loader's cache, the alternatives symlinks toolchains resolve through, the time zone.
        // (bubblewrap creates missing parents 0700: make /etc traversable for the unprivileged uid.)
        args += ["--perms", "0755", "--dir", "/etc"]
        for file in ["/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime"] where FileManager.default.fileExists(atPath: file) {
            args += ["--ro-bind", file, file]
        }
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        var made: Set<String> = ["/", "/usr", "/tmp", "/proc", "/dev", "/etc"]
        func parents(of path: String) {
            var ancestors: [String] = []
            var current = (path as NSString).deletingLastPathComponent
            while current != "/", !current.isEmpty, !made.contains(current) {
                ancestors.append(current)
                current = (current as NSString).deletingLastPathComponent
            }
            for ancestor in ancestors.reversed() {
                args += ["--perms", "0755", "--dir", ancestor]
                made.insert(ancestor)
            }
        }
        for path in command.readOnlyPaths where !path.hasPrefix("/usr/") && FileManager.default.fileExists(atPath: path) {
            parents(of: path)
            args += ["--ro-bind", path, path]
            made.insert(path)
        }
        parents(of: command.workspace)
        args += ["--bind", command.workspace, command.workspace]
        made.insert(command.workspace)
        for path in command.writablePaths where FileManager.default.fileExists(atPath: path) && !path.hasPrefix(command.workspace + "/") {
            parents(of: path)
            args += ["--bind", path, path]
        }
        if let home = command.environment["HOME"], !home.hasPrefix(command.workspace + "/"), FileManager.default.fileExists(atPath: home) {
            parents(of: home)
            args += ["--bind", home, home]
            if asRoot { Self.chown(home, recursive: true) }
        }
        args += ["--chdir", command.workspace, "--"]
        if asRoot, let setpriv {
            args += [setpriv, "--reuid=\(Self.sandboxID)", "--regid=\(Self.sandboxID)", "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        }
        return args + [prlimit] + command.limits.prlimitArguments + command.argv
    }

    static func chown(_ path: String, recursive: Bool) {
        _ = Glibc.chown(path, sandboxID, sandboxID)
        guard recursive, let enumerator = FileManager.default.enumerator(atPath: path) else { return }
        while let item = enumerator.nextObject() as? String {
            _ = Glibc.lchown((path as NSString).appendingPathComponent(item), sandboxID, sandboxID)
        }
    }
}
