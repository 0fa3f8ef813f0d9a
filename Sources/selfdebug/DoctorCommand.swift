import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugCore
import SelfDebugExec
import SelfDebugModels
import SelfDebugSandbox

/// `selfdebug doctor`: checks the model endpoint, the sandbox and the toolchains.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the model endpoint, the sandbox and the toolchains; say what is missing and how to get it (exit 0 only when all are healthy).")

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print the checks as JSON.")
    var json = false

    struct Check: Encodable {
        var name: String
        var ok: Bool
        var detail: String
        var fix: String?
    }

    func run() async throws {
        var checks: [Check] = []
        var settings = Settings()
        var badConfiguration: (any Error)?
        do {
            settings = try Settings.load(environment: ProcessInfo.processInfo.environment)
            checks.append(Check(name: "config", ok: true, detail: settings.sources.isEmpty
                ? "no configuration file (.selfdebug.yml here, or \(Settings.userFile(environment: ProcessInfo.processInfo.environment)))"
                : "read " + settings.sources.joined(separator: ", ")))
        } catch {
            badConfiguration = error
            checks.append(Check(name: "config", ok: false, detail: "\(error)", fix: "correct the file; the keys are " + Settings.keys.joined(separator: ", ")))
        }
        checks.append(await modelCheck(settings: settings))
        checks.append(await sandboxCheck())
        checks += await toolchainChecks()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(["checks": checks]) + Data("\n".utf8))
        } else {
            for check in checks {
                print("\(check.ok ? "ok  " : "FAIL") \(check.name): \(check.detail)")
                if let fix = check.fix, !check.ok { print("     fix: \(fix)") }
            }
        }
        // A bad configuration file is bad input (2), as for every command; any other failed check is 3.
        if let badConfiguration { throw AppError(.badInput, "bad configuration file: \(badConfiguration)") }
        if checks.contains(where: { !$0.ok }) { try TerminalRun.exit(with: .unavailable) }
    }

    func modelCheck(settings: Settings) async -> Check {
        let environment = ProcessInfo.processInfo.environment
        do {
            let chosen = try modelOptions.selection.makeModel(environment: environment, settings: settings, onRetry: nil)
            let (model, name) = (chosen.client, chosen.name)
            guard let client = model as? any ModelLister else {
                return Check(name: "model", ok: true, detail: "\(model.providerName), model \(name)")
            }
            let listed = try await client.listModels(timeout: 10)
            if listed.isEmpty || listed.contains(name) {
                return Check(name: "model", ok: true, detail: "\(client.providerName) answers; model \(name)\(listed.isEmpty ? "" : " is listed")")
            }
            return Check(
                name: "model", ok: false,
                detail: "\(client.providerName) answers, but does not list model '\(name)' (it lists: \(listed.prefix(8).joined(separator: ", ")))",
                fix: "pass --model with one of the listed names, or set SELFDEBUG_MODEL")
        } catch let failure as AppError {
            return Check(name: "model", ok: false, detail: failure.description,
                         fix: "scripts/install-local-model.sh for the offline default, or set OPENAI_BASE_URL / OPENAI_API_KEY / ANTHROPIC_API_KEY")
        } catch {
            return Check(name: "model", ok: false, detail: "\(error)", fix: "start the model server, or check --base-url and OPENAI_API_KEY")
        }
    }

    func sandboxCheck() async -> Check {
        do {
            let sandbox = try BubblewrapSandbox()
            try await sandbox.probe()
            return Check(name: "sandbox", ok: true, detail: sandbox.description)
        } catch {
            return Check(
                name: "sandbox", ok: false, detail: "\(error)",
                fix: "sudo apt-get install -y bubblewrap (or run with --sandbox none: NO isolation, limits only)")
        }
    }

    func toolchainChecks() async -> [Check] {
        var checks: [Check] = []
        do {
            let python = try await Toolchain.python()
            let version = await Self.output(python, ["--version"])
            let pytest = await Self.output(python, ["-c", "import pytest; print(pytest.__version__)"])
            checks.append(Check(name: "python", ok: true, detail: "\(python) (\(version))"))
            checks.append(Check(
                name: "pytest", ok: !pytest.isEmpty && !pytest.contains("Error"),
                detail: pytest.isEmpty || pytest.contains("Error") ? "not importable by \(python): tests that use fixtures cannot run" : "pytest \(pytest)",
                fix: "\(python) -m pip install pytest"))
        } catch {
            checks.append(Check(name: "python", ok: false, detail: "\(error)", fix: "sudo apt-get install -y python3"))
        }
        do {
            let swiftc = try Toolchain.swiftc()
            let version = await Self.output(swiftc, ["--version"])
            checks.append(Check(name: "swiftc", ok: true, detail: "\(swiftc) (\(version.split(separator: "\n").first ?? ""))"))
        } catch {
            checks.append(Check(name: "swiftc", ok: false, detail: "\(error)", fix: "install Swift 6.1 or newer from swift.org and put its usr/bin on PATH"))
        }
        let cache = Toolchain.swiftModuleCache()
        let writable = FileManager.default.isWritableFile(atPath: cache)
        checks.append(Check(name: "module cache", ok: writable, detail: "\(cache)\(writable ? " is writable" : " is not writable")", fix: "set XDG_CACHE_HOME to a writable folder"))
        return checks
    }

    static func output(_ program: String, _ arguments: [String]) async -> String {
        let spec = ProcessSpec(executable: program, arguments: arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], workingDirectory: "/", timeout: 20)
        guard let result = try? await ProcessRunner.run(spec) else { return "" }
        return (result.stdout.text + result.stderr.text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
