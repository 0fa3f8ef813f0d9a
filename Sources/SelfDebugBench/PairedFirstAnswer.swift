import Foundation
import SelfDebugCore
import SelfDebugEngineer

/// A paired comparison: a run's first model call is answered with the first reply an earlier run
/// of the same problem got for the identical request (same model, messages, temperature and token
/// limit), once; every later call goes to the live model.
///
/// Strategies run side by side (`--strategy debug,resample`) then start from the same first
/// answer and differ only in what they do after it, so turn 0 is equal by construction and the
/// later turns compare the strategies, not two draws of the first sample. The served call still
/// counts as a model call with its tokens; the record marks it `replayed`.
public final class PairedFirstAnswer: ChatModel, @unchecked Sendable {
    private let first: [UInt64: ChatResponse]
    private let live: any ChatModel
    private let lock = NSLock()
    private var calls = 0
    private var served = false

    /// Whether the first call was answered with the earlier run's reply.
    public var servedFirstAnswer: Bool { lock.withLock { served } }

    /// Serves one of `first` (request hash to reply) to the first call when its hash matches.
    public init(first: [UInt64: ChatResponse], live: any ChatModel) {
        self.first = first
        self.live = live
    }

    /// The first reply of the run recorded in `folder` and the request it answered, or nil when
    /// there is no such run (that problem then asks the live model from its first call).
    public static func firstReplies(inRunFolder folder: String) -> [UInt64: ChatResponse]? {
        guard let record = try? RunRecord(folder: folder) else { return nil }
        let replies = RecordedModel.replies(in: record.events, beforeIteration: 2)
        return replies.isEmpty ? nil : replies
    }

    /// The live model's name.
    public var providerName: String { live.providerName }

    /// The earlier run's first reply for the first call when the request is identical, else the live model's.
    public func complete(_ request: ChatRequest, onDelta: (@Sendable (String) -> Void)?) async throws -> ChatResponse {
        let isFirst = lock.withLock {
            calls += 1
            return calls == 1
        }
        if isFirst, var response = first[RecordedModel.hash(request)] {
            lock.withLock { served = true }
            response.replayed = true
            onDelta?(response.text)
            return response
        }
        return try await live.complete(request, onDelta: onDelta)
    }
}
