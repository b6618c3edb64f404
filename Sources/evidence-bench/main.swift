import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// The vault's benchmarks, for the figures in closing notes (release builds only):
//   swift run -c release evidence-bench [journal] [attachments] [imports] [export] [pdf] [rekey] [note] [backup]
//     [age] [sealed] [--quick] [--large]
// (--large: the import of a 1 GiB backup.)
// Every figure is also given as a ratio to a baseline measured in the same run on the same machine.

let arguments = CommandLine.arguments.dropFirst()
if let index = arguments.firstIndex(of: "--child-attach"), index + 1 < arguments.endIndex {
  // Child mode: attach one file to a fresh vault and print this process's peak memory (see AttachmentBench).
  try childAttach(file: URL(fileURLWithPath: arguments[index + 1]))
  exit(0)
}
if let index = arguments.firstIndex(of: "--child-import"), index + 1 < arguments.endIndex {
  // Child mode: import one SMS backup into a fresh vault and print the figures (see ImportBench).
  try childImport(file: URL(fileURLWithPath: arguments[index + 1]))
  exit(0)
}
if let index = arguments.firstIndex(of: "--child-backup"), index + 2 < arguments.endIndex {
  // Child mode: back up one vault and print this process's peak memory (see BackupBench).
  try childBackup(
    folder: URL(fileURLWithPath: arguments[index + 1]), target: URL(fileURLWithPath: arguments[index + 2]))
  exit(0)
}
if let index = arguments.firstIndex(of: "--child-age") {
  // Child mode: seal or open one file with EvidenceAge (see AgeBench), timed by the parent.
  try childAge(Array(arguments[(index + 1)...]))
  exit(0)
}
let quick = arguments.contains("--quick")
let chosen = Set(arguments.filter { !$0.hasPrefix("--") })
let root = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: root) }
print("evidence-bench on \(ProcessInfo.processInfo.activeProcessorCount) cores\(quick ? " (quick)" : "")")
if chosen.isEmpty || chosen.contains("journal") { try runJournalBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("attachments") { try runAttachmentBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("imports") {
  try runImportBench(quick: quick, large: arguments.contains("--large"), root: root)
}
if chosen.isEmpty || chosen.contains("export") { try runExportBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("pdf") { try runPDFBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("rekey") { try runRekeyBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("note") { try runNoteBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("backup") { try runBackupBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("age") { try runAgeBench(quick: quick, root: root) }
if chosen.isEmpty || chosen.contains("sealed") { try runSealedExportBench(quick: quick, root: root) }
