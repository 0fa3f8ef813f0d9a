import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// `selfdebug bench` on the shared benchmark sets, with a scripted model that answers wrong
/// first and with the set's canonical solution second.
@Suite("selfdebug bench, end to end")
struct BenchEndToEndTests {
    func bench(_ arguments: [String], server: ScriptedServer?, in folder: String) async throws -> CLI.Result {
        try await CLI.run(["bench"] + arguments, in: folder, environment: CLI.environment(server), timeout: 600)
    }

    func report(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.split(separator: "\n").last.map(String.init)?.utf8 ?? "".utf8))
    }

    @Test(arguments: ["humaneval.jsonl", "mbpp_sanitized.jsonl", "quixbugs.jsonl"])
    func canonicalAnswersPassAtTurnOne(set: String) async throws {
        let data = ScriptedServer.benchdata + "/" + set
        let server = try ScriptedServer(canonical: data)
        let folder = try TemporaryFolder.make(prefix: "e2e-bench")
        let result = try await bench([data, "--limit", "6", "--jobs", "2", "--out", "out", "--json", "--max-iterations", "2"], server: server, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try report(result.stdout)
        #expect(json["problems"]?.intValue == 6)
        #expect((json["prompt_tokens"]?.intValue ?? 0) > 0)
        let records = try String(contentsOfFile: folder + "/out/results.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(records.count == 6)
        let first = folder + "/out/problems/" + (set == "quixbugs.jsonl" ? "QuixBugs_bitcount" : set == "mbpp_sanitized.jsonl" ? "MBPP_2" : "HumanEval_0") + "/trajectory.jsonl"
        #expect(FileManager.default.fileExists(atPath: first))
        guard set == "quixbugs.jsonl" else {
            #expect(json["passed_by_turn"] == .array([.int(0), .int(6)]))
            return
        }
        // QuixBugs' repair tasks have no examples: a failure tells nothing, so the second turn is a
        // fresh sample (which the scripted model answers wrong again), not a blind repair...
        #expect(json["passed_by_turn"] == .array([.int(0), .int(0)]))
        let trajectory = try String(contentsOfFile: first, encoding: .utf8)
        #expect(trajectory.contains("\"type\":\"resample\""), "\(trajectory)")
        #expect(trajectory.contains("the failure shows nothing to repair from"))
        // ...and with the hidden tests' failures shown (oracle mode) the repair is asked for.
        let oracle = try await bench([data, "--limit", "6", "--jobs", "2", "--out", "oracle", "--json", "--max-iterations", "2", "--feedback-tests", "hidden"], server: server, in: folder)
        #expect(try report(oracle.stdout)["passed_by_turn"] == .array([.int(0), .int(6)]), "\(oracle.stderr)")
    }

    @Test func swiftProblemsBuildAndFailWithoutCanonicalSolutions() async throws {
        let data = ScriptedServer.benchdata + "/multipl_e_humaneval_swift.jsonl"
        let server = try ScriptedServer(canonical: data)
        let folder = try TemporaryFolder.make(prefix: "e2e-bench-swift")
        let result = try await bench([data, "--limit", "2", "--out", "out", "--json", "--max-iterations", "1"], server: server, in: folder)
        let json = try report(result.stdout)
        #expect(json["passed_by_turn"] == .array([.int(0)]))
        let trajectory = try String(contentsOfFile: folder + "/out/problems/humaneval-swift_HumanEval_0_has_close_elements/trajectory.jsonl", encoding: .utf8)
        #expect(trajectory.contains("not implemented"))
    }

    @Test func resumesWithoutRedoingFinishedProblems() async throws {
        let data = ScriptedServer.benchdata + "/humaneval.jsonl"
        let server = try ScriptedServer(canonical: data)
        let folder = try TemporaryFolder.make(prefix: "e2e-bench-resume")
        _ = try await bench([data, "--limit", "3", "--out", "out", "--json"], server: server, in: folder)
        // As if the first sitting had taken 1000 s: the resumed run's wall time adds to it.
        let reportPath = folder + "/out/report.json"
        let written = try String(contentsOfFile: reportPath, encoding: .utf8)
        try written.replacingOccurrences(of: #""wall_seconds":[0-9.e+-]+"#, with: #""wall_seconds":1000"#, options: .regularExpression)
            .write(toFile: reportPath, atomically: true, encoding: .utf8)
        let before = server.requests().count
        let again = try await bench([data, "--limit", "5", "--out", "out", "--json"], server: server, in: folder)
        #expect(again.stderr.contains("3 already done: resuming"))
        #expect(server.requests().count - before == 4)  // two new problems, two turns each
        #expect(try report(again.stdout)["problems"]?.intValue == 5)
        let wall = try #require(try report(again.stdout)["wall_seconds"]?.doubleValue)
        #expect(wall > 1000 && wall < 1600, "\(wall)")
    }

    @Test func shardsMergeIntoTheUnshardedReport() async throws {
        let data = ScriptedServer.benchdata + "/humaneval.jsonl"
        let server = try ScriptedServer(canonical: data)
        let folder = try TemporaryFolder.make(prefix: "e2e-bench-shards")
        let whole = try report(try await bench([data, "--limit", "6", "--out", "whole", "--json"], server: server, in: folder).stdout)
        // --limit applies per shard; 6 problems over 2 shards is the first 12 of the file sliced: use --limit 3 each of the first 6.
        let subset = folder + "/six.jsonl"
        let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").prefix(6).joined(separator: "\n")
        try lines.write(toFile: subset, atomically: true, encoding: .utf8)
        _ = try await bench([subset, "--shard", "1/2", "--out", "a", "--json"], server: server, in: folder)
        var environment = CLI.environment(server)
        environment["JOB_COMPLETION_INDEX"] = "1"
        _ = try await CLI.run(["bench", subset, "--shard", "auto/2", "--out", "b", "--json"], in: folder, environment: environment)
        let merged = try report(try await CLI.run(["bench", "merge", "a", "b", "--json", "--max-iterations", "3"], in: folder, environment: CLI.environment(nil)).stdout)
        for key in ["problems", "passed_by_turn", "prompt_tokens", "completion_tokens", "errors"] {
            #expect(merged[key] == whole[key], "\(key)")
        }
    }

    @Test func resampleAndDebugRunSideBySideOnTheSameProblems() async throws {
        let data = ScriptedServer.benchdata + "/humaneval.jsonl"
        let server = try ScriptedServer(canonical: data)
        let folder = try TemporaryFolder.make(prefix: "e2e-bench-strategies")
        let result = try await bench([data, "--limit", "3", "--out", "out", "--max-iterations", "2", "--strategy", "debug,resample"], server: server, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("feedback from the visible tests (hidden tests only judge)"), "\(result.stdout)")
        #expect(result.stdout.contains("pass@1, turn 0"))
        let debug = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/out/debug/report.json")))
        let resample = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/out/resample/report.json")))
        // The scripted model answers a fresh conversation wrong and a repair right: only feedback helps.
        #expect(debug["passed_by_turn"] == .array([.int(0), .int(3)]))
        #expect(resample["passed_by_turn"] == .array([.int(0), .int(0)]))
        #expect(debug["strategy"]?.stringValue == "debug")
        #expect(debug["conversation"]?.stringValue == "fresh" && resample["conversation"] == nil)
        #expect(resample["strategy"]?.stringValue == "resample")
        #expect(resample["feedback_tests"]?.stringValue == "visible")
        // Paired: resampling starts from debug's first answers (served again, counted as calls),
        // so only its second samples reach the model; each is the task alone, hotter.
        #expect(server.requests().count == 6 + 3)
        #expect(resample["paired_first_answers"]?.intValue == 3)
        #expect(resample["llm_calls"]?.intValue == 6)
        #expect(debug["paired_first_answers"] == nil)
        #expect(result.stdout.contains("first answer shared (paired)"), "\(result.stdout)")
        // Debug's repairs are fresh by default on benchmark problems: the task again, told how the
        // first answer failed; the header says so.
        let fresh = server.requests().prefix(6).filter { $0["body"]?["messages"]?.arrayValue?.last?["content"]?.stringValue?.contains("## Earlier attempts that failed") == true }
        #expect(fresh.count == 3)
        #expect(result.stderr.contains("strategy debug, conversation fresh") || result.stdout.contains("strategy debug, conversation fresh"), "\(result.stdout)")
        let resampled = server.requests().suffix(3)
        #expect(resampled.allSatisfy { $0["body"]?["messages"]?.arrayValue?.count == 2 })
        #expect(resampled.allSatisfy { $0["body"]?["temperature"]?.doubleValue == 0.8 })
        let served = try String(contentsOfFile: folder + "/out/resample/problems/HumanEval_0/trajectory.jsonl", encoding: .utf8)
        #expect(served.contains("\"replayed\":true"))
        // The two runs compared afterwards: the same table, and the problems only one solved.
        let compared = try await CLI.run(["bench", "compare", "out/debug", "again=out/resample", "--max-iterations", "2"], in: folder, environment: CLI.environment(nil))
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(compared.stdout.contains("debug") && compared.stdout.contains("again"), "\(compared.stdout)")
        #expect(compared.stdout.contains("HumanEval/0") && compared.stdout.contains("debug 1  again -"), "\(compared.stdout)")
        #expect(compared.stdout.contains("exact sign test):\n  debug 3, again 0 (p = 0.25)"), "\(compared.stdout)")
        // Each run's versions after the first answer, read from its problems' run folders: every
        // repair passed, no second sample did.
        let later = compared.stdout.split(separator: "\n").first { $0.hasPrefix("later versions passing hidden") }
        #expect(later.map { $0.hasSuffix("3/3 (100%)      0/3 (0%)") } == true, "\(compared.stdout)")
        let alone = try await CLI.run(["bench", "compare", "out/debug"], in: folder, environment: CLI.environment(nil))
        #expect(alone.status == 2 && alone.stderr.contains("give two runs or more"), "\(alone.stderr)")

        // Unpaired: every strategy asks for its own first answer.
        let unpaired = try await bench([data, "--limit", "3", "--out", "out2", "--max-iterations", "2", "--strategy", "debug,resample", "--unpaired"], server: server, in: folder)
        #expect(unpaired.status == 0, "\(unpaired.stderr)")
        #expect(server.requests().count == 9 + 12)
    }

    @Test func theModelSeesTheHiddenTestsOnlyInOracleMode() async throws {
        let data = ScriptedServer.benchdata + "/humaneval.jsonl"
        let hiddenCase = "candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3)"
        for (mode, shown) in [("visible", false), ("hidden", true)] {
            let server = try ScriptedServer(canonical: data)
            let folder = try TemporaryFolder.make(prefix: "e2e-bench-\(mode)")
            let result = try await bench([data, "--limit", "1", "--out", "out", "--json", "--max-iterations", "2", "--feedback-tests", mode], server: server, in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try report(result.stdout)["feedback_tests"]?.stringValue == mode)
            let everything = server.requests().map { $0.serialized() }.joined()
            #expect(everything.contains(hiddenCase.replacingOccurrences(of: "\"", with: "\\\"")) == shown, "\(mode)")
        }
    }

    @Test func badDataIsBadInput() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-bench-bad")
        try "{\"id\": \"x\"}\n".write(toFile: folder + "/bad.jsonl", atomically: true, encoding: .utf8)
        let result = try await bench(["bad.jsonl"], server: nil, in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.jsonl:1: not a benchmark problem"))
        let shard = try await bench([ScriptedServer.benchdata + "/humaneval.jsonl", "--shard", "3/2"], server: nil, in: folder)
        #expect(shard.status == 2)
        #expect(shard.stderr.contains("shard 3 is not between 1 and 2"))
    }
}
