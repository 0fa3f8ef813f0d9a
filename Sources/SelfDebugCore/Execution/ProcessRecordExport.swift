// The records of process runs (CommandRun, CapturedText) are part of the loop's vocabulary: anyone
// who imports SelfDebugCore sees them without importing their module.
@_exported import SelfDebugProcessRecord
