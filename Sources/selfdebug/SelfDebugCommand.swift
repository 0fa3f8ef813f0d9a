import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugModels

/// The root command.
struct SelfDebug: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfdebug",
        abstract: "A self-debugging engineer: asks a model for code, runs it and its tests in a sandbox, shows the model what failed, and repeats until the tests pass.",
        discussion: """
        Exit status: 0 solved; 1 not solved within the budget; 2 bad usage or bad input (a configuration file too); \
        3 the model or the sandbox could not be reached or started; 4 selfdebug itself failed; 130 interrupted.
        """,
        version: selfdebugVersion,
        subcommands: [SolveCommand.self, FixCommand.self, EngineerCommand.self, ReplayCommand.self, ShowCommand.self, BenchCommand.self, McpCommand.self, DoctorCommand.self, MeasureCommand.self]
    )
}

@main
enum Entry {
    static func main() async {
        // A parent (Foundation.Process on Linux, for one) may start us with SIGINT and SIGTERM
        // blocked; unblock them so an interrupt still finishes the run folder.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let command: any ParsableCommand
        do {
            command = try SelfDebug.parseAsRoot(MeasureCommand.allowingBareLocalModel(Array(CommandLine.arguments.dropFirst())))
        } catch {
            // Help and --version exit 0; every other parse failure is bad usage (2), not 64.
            let code = SelfDebug.exitCode(for: error)
            if code == .success { SelfDebug.exit(withError: error) }
            FileHandle.standardError.write(Data((SelfDebug.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.badInput.rawValue)
        }
        // The embedded local model's server stops with the command, however it ends.
        defer { LocalModelServer.stopShared() }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            LocalModelServer.stopShared()
        } catch let exitCode as ExitCode {
            LocalModelServer.stopShared()
            exit(exitCode.rawValue)
        } catch let error as ValidationError {
            LocalModelServer.stopShared()
            FileHandle.standardError.write(Data((SelfDebug.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.badInput.rawValue)
        } catch {
            LocalModelServer.stopShared()
            // `selfdebug help solve` and `solve --help` arrive here as the parser's own errors.
            if SelfDebug.exitCode(for: error) == .success { SelfDebug.exit(withError: error) }
            // One mapping for every command (SelfDebugApp's ExitStatus(for:)), with a message that says what to do.
            FileHandle.standardError.write(Data((ExitStatus.message(for: error) + "\n").utf8))
            exit(ExitStatus(for: error).rawValue)
        }
    }
}
