import Foundation
import SelfDebugCore
import SelfDebugEngineer

/// How the versions a run tried after its first answer fared. Each is one more model call's draw
/// (a repair, a fresh repair, a fresh sample), so their pass rate compares strategies on two or
/// three draws for each problem the first answer failed, where the problems solved give one
/// outcome each (HumanEval shards 2-6: 69-73 draws a strategy on 35 such problems).
public struct FollowUpVersions: Sendable, Equatable {
    /// Versions run after the first (a reply that repeated one that ran is not run, so not counted).
    public var ran = 0
    /// Of those, the ones that passed the tests the model is shown (the examples, in honest mode)
    /// and the hidden tests too (the judged verdict).
    public var passedHidden = 0
    /// Seconds the model took for every call after the first (re-asks included): what a strategy
    /// spent after a first answer that paired runs share.
    public var modelSeconds = 0.0

    /// No versions.
    public init() {}

    /// Counts the versions after the first in a recorded run (`folder` holds its
    /// `trajectory.jsonl`); nil when there is no readable run there.
    public init?(runFolder folder: String) {
        guard let record = try? RunRecord(folder: folder) else { return nil }
        modelSeconds = record.events.compactMap(\.llmResponse?.latencySeconds).dropFirst().reduce(0, +)
        let versions = record.events.compactMap(\.exec).filter { !$0.baseline }
        for exec in versions.dropFirst() {
            ran += 1
            if exec.verdict == .passed, (exec.hiddenVerdict ?? exec.verdict) == .passed { passedHidden += 1 }
        }
    }

    /// The counts of both together.
    public static func + (left: Self, right: Self) -> Self {
        var sum = left
        sum.ran += right.ran
        sum.passedHidden += right.passedHidden
        sum.modelSeconds += right.modelSeconds
        return sum
    }

    /// "9/63 (14%)": how many passed the hidden tests, of those run.
    public var hiddenRate: String {
        ran == 0 ? "0/0" : String(format: "%d/%d (%.0f%%)", passedHidden, ran, Double(passedHidden) / Double(ran) * 100)
    }
}
