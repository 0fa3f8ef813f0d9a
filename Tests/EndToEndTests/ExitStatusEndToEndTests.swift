import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// One exit status for every command (README, "Exit status"), through the built binary.
@Suite("Exit statuses, end to end")
struct ExitStatusEndToEndTests {
    let task = "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\n---\n# Mean\nWrite mean(xs); 0 when empty.\n"
    let tests = "from stats import mean\n\ndef test_mean():\n    assert mean([]) == 0\n"
    let right = "```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n```\n"
    let badConfiguration = "model: gpt-4o-mini\nmax_iterations: zero\n"

    @Test func aBadConfigurationFileIsBadInputForSolve() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-exit-config")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests, ".selfdebug.yml": badConfiguration], in: folder)
        let server = try ScriptedServer([.reply(right)])
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(".selfdebug.yml:2: 'max_iterations' must be a whole number"))
        #expect(server.requests().isEmpty)
    }

    @Test func aBadConfigurationFileIsBadInputForDoctor() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-exit-doctor")
        try TemporaryFolder.write([".selfdebug.yml": badConfiguration], in: folder)
        let result = try await CLI.run(["doctor"], in: folder, environment: CLI.environment(nil))
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("FAIL config"))
        #expect(result.stderr.contains("bad configuration file: "))
        #expect(result.stderr.contains(".selfdebug.yml:2: 'max_iterations' must be a whole number"))
    }

    @Test func aRunFolderThatIsAFileIsBadInput() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-exit-out")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests, "taken": "a file, not a folder\n"], in: folder)
        let server = try ScriptedServer([.reply(right)])
        let result = try await CLI.run(["solve", "task.md", "--out", "taken"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("cannot create the run folder taken"))
    }

    /// The disk filling up as selfdebug writes its own record is selfdebug failing (4), not "not
    /// solved" (1): summary.json is a link to /dev/full, so writing it fails with ENOSPC.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func failingToWriteItsOwnRecordIsAnInternalFailureSayingWhatToReport() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-exit-internal")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        try FileManager.default.createDirectory(atPath: folder + "/run", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/run/summary.json", withDestinationPath: "/dev/full")
        let server = try ScriptedServer([.reply(right)])
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("selfdebug failed internally: "))
        #expect(result.stderr.contains("Please report this with the run folder run and the command you ran ("))
        // What was recorded up to the failure stays.
        #expect(try CLI.events(folder + "/run").last?["type"]?.stringValue == "run_end")
    }

    @Test func helpForASubcommandExitsZeroWithTheUsage() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-help")
        for arguments in [["solve", "--help"], ["help", "bench"], ["fix", "-h"]] {
            let result = try await CLI.run(arguments, in: folder, environment: CLI.environment(nil))
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect((result.stdout + result.stderr).contains("USAGE"), "\(arguments)")
            #expect(!(result.stdout + result.stderr).contains("failed internally"))
        }
    }
}
