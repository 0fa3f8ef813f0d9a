import SelfDebugEngineer

extension RunRecord {
    /// The run folder read back; not a run folder is bad input (exit 2).
    public static func opened(_ folder: String) throws -> RunRecord {
        do {
            return try RunRecord(folder: folder)
        } catch let error as RunFolderError {
            throw AppError(.badInput, error.description)
        }
    }
}
