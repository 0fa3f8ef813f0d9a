import Foundation
import SelfDebugCore

/// The engineer stage's input, shaped like a MetaGPT engineer's: the product manager's
/// requirement, the architect's design, the project manager's ordered task list, and QA's tests.
///
/// JSON keys are snake_case (`test_command`, `max_iterations`).
public struct EngineerRequest: Codable, Sendable, Equatable {
    /// What to build (a PRD or a sentence).
    public var requirement: String
    /// The design: file list, interfaces, data structures.
    public var design: String?
    /// The ordered task list.
    public var tasks: [String]?
    /// `python` or `swift`.
    public var language: Language
    /// The files to write (relative paths).
    public var files: [String]?
    /// Tests from QA, by relative path; without them the engineer writes its own first.
    public var tests: [String: String]?
    /// A shell command that runs the tests in the workspace (project mode); its exit status decides.
    public var testCommand: String?
    /// A folder: its files are the starting point, and the result is written there when the tests pass.
    public var workspace: String?
    /// Budgets.
    public var limits: Limits?

    /// Budgets of one request.
    public struct Limits: Codable, Sendable, Equatable {
        /// Model turns at most.
        public var maxIterations: Int?
        /// Seconds for one sandboxed build and test run.
        public var timeout: Double?

        /// Creates limits.
        public init(maxIterations: Int? = nil, timeout: Double? = nil) {
            self.maxIterations = maxIterations
            self.timeout = timeout
        }
    }

    /// Creates a request.
    public init(
        requirement: String, design: String? = nil, tasks: [String]? = nil, language: Language, files: [String]? = nil,
        tests: [String: String]? = nil, testCommand: String? = nil, workspace: String? = nil, limits: Limits? = nil
    ) {
        self.requirement = requirement
        self.design = design
        self.tasks = tasks
        self.language = language
        self.files = files
        self.tests = tests
        self.testCommand = testCommand
        self.workspace = workspace
        self.limits = limits
    }

    /// Decodes a request from JSON, saying what is wrong in words (for exit status 2).
    public static func decode(_ data: Data) throws -> EngineerRequest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let request = try decoder.decode(EngineerRequest.self, from: data)
            if request.requirement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw EngineerError.badRequest("\"requirement\" is empty: say what to build")
            }
            if let files = request.files, files.contains(where: { $0.hasPrefix("/") || $0.split(separator: "/").contains("..") }) {
                throw EngineerError.badRequest("\"files\" must be relative paths inside the project")
            }
            if let max = request.limits?.maxIterations, max < 1 { throw EngineerError.badRequest("\"limits.max_iterations\" must be at least 1") }
            if let timeout = request.limits?.timeout, timeout <= 0 { throw EngineerError.badRequest("\"limits.timeout\" must be a positive number of seconds") }
            return request
        } catch let error as EngineerError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw EngineerError.badRequest("missing \"\(key.stringValue)\"\(path(context.codingPath)); a request needs at least \"requirement\" and \"language\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw EngineerError.badRequest("wrong type at \(path(context.codingPath, root: true)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            let where_ = context.codingPath.isEmpty ? "" : " at \(path(context.codingPath, root: true))"
            throw EngineerError.badRequest("not valid JSON or a bad value\(where_): \(context.debugDescription)"
                + (context.codingPath.last?.stringValue == "language" ? " (use \"python\" or \"swift\")" : ""))
        } catch let DecodingError.valueNotFound(_, context) {
            throw EngineerError.badRequest("null at \(path(context.codingPath, root: true))")
        }
    }

    static func path(_ keys: [CodingKey], root: Bool = false) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return root ? (text.isEmpty ? "the top level" : String(text.drop { $0 == "." })) : (text.isEmpty ? "" : " in \(text.dropFirst())")
    }
}

/// The engineer stage's output.
public struct EngineerResult: Codable, Sendable, Equatable {
    /// `solved`, `unsolved` or `error`.
    public var status: String
    /// The files written, by relative path (the passing version, or the best one).
    public var files: [String: String]
    /// What the tests said of those files.
    public var tests: TestReport
    /// Model turns taken.
    public var iterations: Int
    /// Tokens spent.
    public var usage: Usage
    /// The run folder with the full record.
    public var runDir: String
    /// `task_tests`, or `agent_tests` when the engineer wrote the tests itself.
    public var verifiedBy: String
    /// The tests the engineer wrote, when the request had none.
    public var agentTests: [String: String]?
    /// Why the run stopped with an error.
    public var error: String?

    /// Test counts and the last test output, as feedback text.
    public struct TestReport: Codable, Sendable, Equatable {
        /// Tests passing.
        public var passed: Int
        /// Tests failing.
        public var failed: Int
        /// Tests the tests themselves skipped (neither passing nor failing: they proved nothing).
        public var skipped: Int?
        /// What the last run said, as the model was told it.
        public var output: String
    }

    /// Token counts.
    public struct Usage: Codable, Sendable, Equatable {
        /// Prompt tokens.
        public var promptTokens: Int
        /// Completion tokens.
        public var completionTokens: Int
    }

    /// The result as JSON with snake_case keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Why a request could not be served.
public enum EngineerError: Error, CustomStringConvertible, Equatable {
    /// The request is malformed (exit status 2).
    case badRequest(String)
    /// The sandbox or a toolchain is missing (exit status 3).
    case unavailable(String)

    /// The message.
    public var description: String {
        switch self {
        case .badRequest(let message): "bad engineer request: \(message)"
        case .unavailable(let message): message
        }
    }
}
