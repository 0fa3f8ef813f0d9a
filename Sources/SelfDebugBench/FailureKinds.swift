import SelfDebugCore

extension BenchError: ClassifiedError {
    /// A benchmark set or shard that cannot be read: bad input.
    public var failureKind: FailureKind { .badInput }
}
