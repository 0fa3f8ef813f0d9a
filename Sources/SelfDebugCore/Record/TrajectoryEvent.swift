import Foundation

/// One event of a run's trajectory: one line of `trajectory.jsonl`.
///
/// On the wire an event is one JSON object: `type`, `iteration` and `time` first, then the fields
/// of its ``Body``. This type is the only code that knows those keys: the loop writes events
/// through it and every reader (run records, timelines, recorded replies, the verbose echo) reads
/// them back through it.
///
/// Old and new files read: fields missing from older files take their defaults, unknown fields
/// are ignored, and an unknown event type (or one whose fields cannot be read) is kept whole as
/// ``Body/other(type:fields:)``.
public struct TrajectoryEvent: Sendable, Equatable {
    /// The version of the trajectory format this code writes, recorded in `run_start`
    /// (files without one are version 1).
    public static let schemaVersion = 2

    /// The model turn it belongs to (0 before the first turn).
    public var iteration: Int
    /// When it happened.
    public var time: Date
    /// What happened: the event type with its fields.
    public var body: Body

    /// Creates an event.
    public init(iteration: Int, time: Date, body: Body) {
        self.iteration = iteration
        self.time = time
        self.body = body
    }

    /// The event type as written (`run_start`, `exec`, ...).
    public var type: String { body.type }

    /// The event as one JSON object.
    public var json: JSONValue {
        do {
            return try JSONValueEncoder.encode(self)
        } catch {
            // The payloads' encoders do not throw; should one ever, the line still says what it was.
            return .object(["type": .string(type), "iteration": .int(iteration), "time": .string(Self.timeText(time)),
                            "unencodable": .string("\(error)")])
        }
    }

    /// One line of `trajectory.jsonl`: compact, `type`, `iteration`, `time` first, other keys sorted.
    public var jsonLine: String { json.serialized(leadingKeys: EnvelopeKey.allCases.map(\.rawValue)) }

    /// Reads one line of `trajectory.jsonl`.
    public init(jsonLine: some StringProtocol) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(jsonLine.utf8))
    }

    /// The events of a `trajectory.jsonl` text, in order; lines that are not JSON objects (a line
    /// cut short by a crash) are skipped.
    public static func events(inJSONLines text: String) -> [TrajectoryEvent] {
        text.split(separator: "\n").compactMap { try? TrajectoryEvent(jsonLine: $0) }
    }

    /// The event with `transform` applied to each of its fields' values (not to `type`,
    /// `iteration` or `time`), read back as an event.
    ///
    /// The recorder's secret scrubbing goes through here so that it works on exactly what is
    /// written. A result that no longer reads as its type is kept as ``Body/other(type:fields:)``
    /// of the transformed fields, so the transform's output is what gets written either way.
    public func mappingFields(_ transform: (JSONValue) -> JSONValue) -> TrajectoryEvent {
        guard case .object(var members) = json else { return self }
        for key in EnvelopeKey.allCases { members[key.rawValue] = nil }
        let fields = members.mapValues(transform)
        var whole = fields
        whole[EnvelopeKey.type.rawValue] = .string(type)
        let body = (try? JSONDecoder().decode(Self.self, from: Data(JSONValue.object(whole).serialized().utf8)))?.body
        return TrajectoryEvent(iteration: iteration, time: time, body: body ?? .other(type: type, fields: fields))
    }

    enum EnvelopeKey: String, CodingKey, CaseIterable {
        case type, iteration, time
    }

    static func timeText(_ time: Date) -> String { timeFormatter.string(from: time) }

    static func time(from text: String) -> Date? {
        timeFormatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    // ISO8601DateFormatter is thread-safe for formatting and parsing once configured.
    nonisolated(unsafe) static let timeFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}

extension TrajectoryEvent: Codable {
    /// Reads an event; see the type's notes on old and new files.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        let type = container.lenient(.type, "")
        iteration = container.lenient(.iteration, 0)
        time = container.lenient(String.self, .time).flatMap(Self.time(from:)) ?? Date(timeIntervalSince1970: 0)
        do {
            body = try Body(type: type, from: decoder)
        } catch {
            // A newer or older writer's fields this version cannot read: keep them as they were.
            body = .other(type: type, fields: try Body.otherFields(from: decoder))
        }
    }

    /// Writes `type`, `iteration`, `time`, then the body's fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try container.encode(type, forKey: .type)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(Self.timeText(time), forKey: .time)
        try body.encode(to: encoder)
    }
}

extension TrajectoryEvent {
    /// What happened, one case per event type of the run folder's format (SPEC: Run folder).
    public enum Body: Sendable, Equatable {
        /// `run_start`: the task, model, provider, limits, tool version and loop settings.
        case runStart(RunStart)
        /// `llm_request`: a request as sent to the model.
        case llmRequest(LLMRequest)
        /// `llm_response`: the model's reply, token usage and latency.
        case llmResponse(LLMResponse)
        /// `context_exceeded`: the provider said the request was too long; it is sent again shorter.
        case contextExceeded(ContextExceeded)
        /// `code`: the files of a new version.
        case code(Code)
        /// `exec`: one sandboxed run of a version and its tests.
        case exec(Exec)
        /// `feedback`: what the model is told.
        case feedback(Feedback)
        /// `tests_written`: tests the agent wrote itself (the task had none).
        case testsWritten(TestsWritten)
        /// `restart`: a fresh attempt from the task.
        case restart(Restart)
        /// `resample`: a fresh sample of the task, no feedback (the resample strategy).
        case resample(Resample)
        /// `trace`: an execution trace of a failing test.
        case trace(Trace)
        /// `run_end`: the status and totals.
        case runEnd(RunEnd)
        /// An event type this version does not know, or one whose fields it cannot read, with
        /// every field but `type`, `iteration` and `time` as written.
        case other(type: String, fields: [String: JSONValue])

        /// The event type as written.
        public var type: String {
            switch self {
            case .runStart: RunStart.type
            case .llmRequest: LLMRequest.type
            case .llmResponse: LLMResponse.type
            case .contextExceeded: ContextExceeded.type
            case .code: Code.type
            case .exec: Exec.type
            case .feedback: Feedback.type
            case .testsWritten: TestsWritten.type
            case .restart: Restart.type
            case .resample: Resample.type
            case .trace: Trace.type
            case .runEnd: RunEnd.type
            case .other(let type, _): type
            }
        }

        init(type: String, from decoder: any Decoder) throws {
            switch type {
            case RunStart.type: self = .runStart(try RunStart(from: decoder))
            case LLMRequest.type: self = .llmRequest(try LLMRequest(from: decoder))
            case LLMResponse.type: self = .llmResponse(try LLMResponse(from: decoder))
            case ContextExceeded.type: self = .contextExceeded(try ContextExceeded(from: decoder))
            case Code.type: self = .code(try Code(from: decoder))
            case Exec.type: self = .exec(try Exec(from: decoder))
            case Feedback.type: self = .feedback(try Feedback(from: decoder))
            case TestsWritten.type: self = .testsWritten(try TestsWritten(from: decoder))
            case Restart.type: self = .restart(try Restart(from: decoder))
            case Resample.type: self = .resample(try Resample(from: decoder))
            case Trace.type: self = .trace(try Trace(from: decoder))
            case RunEnd.type: self = .runEnd(try RunEnd(from: decoder))
            default: self = .other(type: type, fields: try Self.otherFields(from: decoder))
            }
        }

        /// The object's members but the envelope's.
        static func otherFields(from decoder: any Decoder) throws -> [String: JSONValue] {
            var members = try decoder.singleValueContainer().decode([String: JSONValue].self)
            for key in EnvelopeKey.allCases { members[key.rawValue] = nil }
            return members
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .runStart(let payload): try payload.encode(to: encoder)
            case .llmRequest(let payload): try payload.encode(to: encoder)
            case .llmResponse(let payload): try payload.encode(to: encoder)
            case .contextExceeded(let payload): try payload.encode(to: encoder)
            case .code(let payload): try payload.encode(to: encoder)
            case .exec(let payload): try payload.encode(to: encoder)
            case .feedback(let payload): try payload.encode(to: encoder)
            case .testsWritten(let payload): try payload.encode(to: encoder)
            case .restart(let payload): try payload.encode(to: encoder)
            case .resample(let payload): try payload.encode(to: encoder)
            case .trace(let payload): try payload.encode(to: encoder)
            case .runEnd(let payload): try payload.encode(to: encoder)
            case .other(_, let fields):
                var container = encoder.container(keyedBy: AnyKey.self)
                for (key, value) in fields where EnvelopeKey(rawValue: key) == nil {
                    try container.encode(value, forKey: AnyKey(key))
                }
            }
        }
    }
}

/// A coding key of any name (the fields of an unknown event).
struct AnyKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when it is missing, null or of another type: fields that
    /// older files lack, or that a newer writer changed, read as their default.
    func lenient<T: Decodable>(_ key: Key, _ fallback: T) -> T {
        lenient(T.self, key) ?? fallback
    }

    /// The value at `key`, or nil when it is missing, null or of another type.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// A value written with its own keys in snake_case (``JSONValue/init(encoding:)``): the task,
    /// test results, usage, totals.
    func snakeCased<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(JSONValue.self, forKey: key).decoded(as: type)
    }

    /// A snake_case value (``snakeCased(_:_:)``), or `fallback` when it is missing or unreadable.
    func snakeCased<T: Decodable>(_ key: Key, _ fallback: T) -> T {
        (try? snakeCased(T.self, key)) ?? fallback
    }
}

extension KeyedEncodingContainer {
    /// Writes `value`, or `null` when there is none (the format spells out absent values).
    mutating func encodeNullable<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// Writes `value` with its own keys in snake_case, as ``JSONValue/init(encoding:)`` does.
    mutating func encodeSnakeCased<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encode(JSONValue(encoding: value), forKey: key)
    }
}

extension JSONValue {
    /// The value read as `T`, its keys converted from snake_case: the inverse of
    /// ``init(encoding:)`` (dictionary keys such as file names are left as they are).
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(serialized().utf8))
    }
}

extension TrajectoryEvent {
    // One accessor per case, for readers that look for one kind of event (`events.compactMap(\.exec)`).

    /// The `run_start` fields, when this is one.
    public var runStart: RunStart? { if case .runStart(let payload) = body { payload } else { nil } }
    /// The `llm_request` fields, when this is one.
    public var llmRequest: LLMRequest? { if case .llmRequest(let payload) = body { payload } else { nil } }
    /// The `llm_response` fields, when this is one.
    public var llmResponse: LLMResponse? { if case .llmResponse(let payload) = body { payload } else { nil } }
    /// The `code` fields, when this is one.
    public var code: Code? { if case .code(let payload) = body { payload } else { nil } }
    /// The `exec` fields, when this is one.
    public var exec: Exec? { if case .exec(let payload) = body { payload } else { nil } }
    /// The `feedback` fields, when this is one.
    public var feedback: Feedback? { if case .feedback(let payload) = body { payload } else { nil } }
    /// The `restart` fields, when this is one.
    public var restart: Restart? { if case .restart(let payload) = body { payload } else { nil } }
    /// The `trace` fields, when this is one.
    public var trace: Trace? { if case .trace(let payload) = body { payload } else { nil } }
    /// The `run_end` fields, when this is one.
    public var runEnd: RunEnd? { if case .runEnd(let payload) = body { payload } else { nil } }
}
