import Foundation
import Testing
@testable import SelfDebugCore

/// Every thrown error maps to one kind of failure, and so to one exit status.
@Suite("Failure kinds of thrown errors and stopped runs")
struct FailureKindTests {
    struct Unknown: Error {}
    struct Declared: ClassifiedError {
        var failureKind: FailureKind
    }

    @Test func anErrorSelfdebugDoesNotKnowIsItsOwnFailure() {
        #expect(FailureKind(classifying: Unknown()) == .internalError)
        #expect(FailureKind(classifying: CocoaError(.fileWriteOutOfSpace)) == .internalError)
    }

    @Test func aCancellationIsAnInterrupt() {
        #expect(FailureKind(classifying: CancellationError()) == .interrupted)
        #expect(FailureKind(classifying: ModelError(.cancelled, "cancelled")) == .interrupted)
    }

    @Test func aModelThatCannotBeUsedIsUnavailable() {
        for code in [ModelError.Code.unavailable, .unauthorized, .notFound, .badRequest, .badResponse] {
            #expect(FailureKind(classifying: ModelError(code, "no")) == .unavailable)
        }
    }

    @Test func aBadTaskOrConfigurationFileIsBadInput() {
        #expect(FailureKind(classifying: TaskFileError(path: ".selfdebug.yml", line: 2, message: "unknown key 'x'")) == .badInput)
    }

    @Test(arguments: FailureKind.allCases)
    func anErrorThatSaysItsKindIsTakenAtItsWord(kind: FailureKind) {
        #expect(FailureKind(classifying: Declared(failureKind: kind)) == kind)
    }

    @Test func aStoppedRunReportsItsCause() {
        #expect(StopReason.solved.failureKind == nil)
        #expect(StopReason.maxIterations.failureKind == nil)
        #expect(StopReason.budget.failureKind == nil)
        #expect(StopReason.modelError.failureKind == .unavailable)
        #expect(StopReason.executorError.failureKind == .unavailable)
        #expect(StopReason.interrupted.failureKind == .interrupted)
    }
}
