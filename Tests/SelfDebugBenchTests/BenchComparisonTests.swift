import Foundation
import Testing
@testable import SelfDebugBench

/// `selfdebug bench compare`: runs side by side on the problems they share, and who solved what.
@Suite("Comparing benchmark runs")
struct BenchComparisonTests {
    static func record(_ id: String, solvedAt turn: Int?) -> BenchRecord {
        BenchRecord(id: id, status: turn == nil ? "unsolved" : "solved", solvedAtTurn: turn, iterations: (turn ?? 3) + 1,
                    promptTokens: 100, completionTokens: 50, wallSeconds: 1, execSeconds: 0.1, llmSeconds: 0.8, runDir: "/runs/\(id)")
    }

    @Test func disputedProblemsAndPairwiseCountsOnTheSharedProblems() {
        let debug = BenchComparison.Run(label: "debug", records: [Self.record("P/1", solvedAt: 0), Self.record("P/2", solvedAt: 2),
                                                                  Self.record("P/3", solvedAt: nil), Self.record("P/9", solvedAt: 0)])
        let resample = BenchComparison.Run(label: "resample", records: [Self.record("P/1", solvedAt: 0), Self.record("P/2", solvedAt: nil),
                                                                        Self.record("P/3", solvedAt: 1)])
        let comparison = BenchComparison([debug, resample])
        // P/9 is in one run only: left out, not counted against the other.
        #expect(comparison.runs.map { $0.records.map(\.id) } == [["P/1", "P/2", "P/3"], ["P/1", "P/2", "P/3"]])
        #expect(comparison.leftOut == 1)
        let text = comparison.text(turns: 3)
        #expect(text.hasPrefix("3 problems;"), "\(text)")
        #expect(text.contains("(1 problem not in every run is left out)"))
        #expect(text.contains("  P/2             debug 2  resample -"), "\(text)")
        #expect(text.contains("  P/3             debug -  resample 1"), "\(text)")
        #expect(!text.contains("  P/1 "), "solved by both: not disputed")
        #expect(text.contains("exact sign test):\n  debug 1, resample 1 (p = 1.00)"), "\(text)")
    }

    @Test func theSignTestSaysHowLikelyASplitIsByChance() {
        // Of n problems only one run solved, a split at least as uneven under a fair coin, both tails.
        #expect(BenchComparison.signTestP(0, 0) == 1)
        #expect(abs(BenchComparison.signTestP(2, 4) - 44.0 / 64) < 1e-12)
        #expect(abs(BenchComparison.signTestP(4, 2) - 44.0 / 64) < 1e-12)
        #expect(abs(BenchComparison.signTestP(0, 3) - 0.25) < 1e-12)
        #expect(abs(BenchComparison.signTestP(0, 5) - 0.0625) < 1e-12)
        #expect(abs(BenchComparison.signTestP(1, 9) - 22.0 / 1024) < 1e-12)
        #expect(BenchComparison.signTestP(3, 3) == 1)
    }

    @Test func laterVersionsAreCountedOnTheSharedProblemsWhenEveryRunHasThem() {
        var fixed = FollowUpVersions()
        fixed.ran = 3
        fixed.passedHidden = 1
        fixed.modelSeconds = 90
        var none = FollowUpVersions()
        none.ran = 2
        let records = [Self.record("P/1", solvedAt: 2), Self.record("P/2", solvedAt: nil)]
        let debug = BenchComparison.Run(label: "debug", records: records, followUps: ["P/1": fixed, "P/2": none])
        let resample = BenchComparison.Run(label: "resample", records: records + [Self.record("P/9", solvedAt: nil)],
                                           followUps: ["P/1": none, "P/2": none, "P/9": fixed])
        let text = BenchComparison([debug, resample]).text(turns: 3)
        // P/9 is left out with its versions: resampling's 4 later versions on P/1 and P/2 passed none.
        #expect(text.contains("later versions passing hidden      1/5 (20%)      0/4 (0%)"), "\(text)")
        #expect(text.contains("model minutes after 1st call             1.5           0.0"), "\(text)")
        // A run whose folders are gone (no versions read) has no such row.
        let unread = BenchComparison([debug, BenchComparison.Run(label: "resample", records: records)]).text(turns: 3)
        #expect(!unread.contains("later versions"), "\(unread)")
    }

    @Test func aReportSaysWhichConversationItsRecordsHad() {
        var fresh = Self.record("P/1", solvedAt: 0)
        fresh.conversation = "fresh"
        var rewrite = Self.record("P/2", solvedAt: nil)
        rewrite.conversation = "rewrite"
        #expect(BenchReport(records: [fresh, fresh], turns: 3, wallSeconds: 0).conversation == "fresh")
        // A run resumed by a selfdebug with another default, or records from before it was kept.
        #expect(BenchReport(records: [fresh, rewrite], turns: 3, wallSeconds: 0).conversation == "mixed")
        #expect(BenchReport(records: [fresh, Self.record("P/3", solvedAt: 0)], turns: 3, wallSeconds: 0).conversation == "mixed")
        #expect(BenchReport(records: [Self.record("P/3", solvedAt: 0)], turns: 3, wallSeconds: 0).conversation == nil)
        #expect(BenchReport(records: [fresh], turns: 3, wallSeconds: 0).table.hasPrefix("strategy debug, conversation fresh;"))
    }

    @Test func aRunIsReadFromItsShardsFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        for (shard, ids) in [("s1", ["P/1", "P/2"]), ("s2", ["P/3"])] {
            try FileManager.default.createDirectory(atPath: root + "/" + shard, withIntermediateDirectories: true)
            let lines = try ids.map { String(decoding: try encoder.encode(Self.record($0, solvedAt: 0)), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: root + "/\(shard)/results.jsonl", atomically: true, encoding: .utf8)
        }
        try #"{"wall_seconds": 42.5}"#.write(toFile: root + "/s2/report.json", atomically: true, encoding: .utf8)
        let run = try BenchComparison.run(from: "debug=\(root)/s1+\(root)/s2")
        #expect(run.label == "debug")
        #expect(run.records.map(\.id) == ["P/1", "P/2", "P/3"])
        #expect(run.wallSeconds == 42.5)
        #expect(try BenchComparison.run(from: root + "/s1").label == "s1")
        // A folder without results says which, and what to give instead.
        #expect { try BenchComparison.run(from: "x=\(root)/none") } throws: { error in
            "\(error)".contains("\(root)/none has no results.jsonl") && "\(error)".contains("OUT/debug")
        }
    }
}
