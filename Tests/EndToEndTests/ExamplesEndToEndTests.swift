import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// Every task in Examples/ is solvable: a scripted model that answers with the example's
/// reference solution gets it solved by the real binary, with the example's real tests.
@Suite("Examples are solvable")
struct ExamplesEndToEndTests {
    static let examples: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Examples"
        let enumerator = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let item = enumerator?.nextObject() as? String {
            if (item as NSString).lastPathComponent == "task.md" { found.append(root + "/" + item) }
        }
        return found.sorted()
    }()

    @Test func thereAreThreeOfEachLanguage() throws {
        let languages = try Self.examples.map { try TaskFileParser().parse(fileAt: $0).task.language }
        #expect(languages.filter { $0 == .python }.count >= 3)
        #expect(languages.filter { $0 == .swift }.count >= 3)
    }

    @Test(arguments: examples)
    func referenceSolutionSolves(taskPath: String) async throws {
        let task = try TaskFileParser().parse(fileAt: taskPath).task
        let folder = (taskPath as NSString).deletingLastPathComponent
        var reply = "Here is the solution.\n\n"
        for file in task.solutionFiles {
            let content = try String(contentsOfFile: folder + "/reference/" + file, encoding: .utf8)
            reply += "\(file)\n```\(task.language.fenceTag)\n\(content)```\n\n"
        }
        let server = try ScriptedServer([.reply(reply)])
        let out = try TemporaryFolder.make(prefix: "e2e-example") + "/run"
        let result = try await CLI.run(["solve", taskPath, "--out", out, "--max-iterations", "1", "--json"], in: NSTemporaryDirectory(), environment: CLI.environment(server))
        #expect(result.status == 0, "\(taskPath): \(result.stderr)")
        let summary = try CLI.summary(out)
        #expect(summary["status"]?.stringValue == "solved")
        #expect((summary["tests_passed"]?.intValue ?? 0) >= 3)
        for file in task.solutionFiles {
            #expect(FileManager.default.fileExists(atPath: out + "/solution/" + file))
        }
    }
}
