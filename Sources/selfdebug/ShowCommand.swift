import ArgumentParser
import Foundation
import SelfDebugApp
import SelfDebugEngineer

/// `selfdebug show RUN_DIR [--html FILE]`.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run as a readable timeline: what the model changed, what failed, what it was told, tokens and time; --html writes a self-contained report.")

    @Argument(help: "The run folder.")
    var runDir: String

    @Option(help: "Write a self-contained HTML report (inline SVG chart, no external assets) to this file.")
    var html: String?

    func run() async throws {
        let record = try RunRecord.opened(runDir)
        let timeline = try await RunTimeline.make(record)
        if let html {
            do {
                try timeline.html.write(toFile: html, atomically: true, encoding: .utf8)
            } catch {
                throw AppError(.badInput, "cannot write \(html): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
        } else {
            print(timeline.text)
        }
    }
}
