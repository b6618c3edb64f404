import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `evidence note`: a quick note sealed without the passphrase, against the unlock it spares the person (opening the
/// same vault with the default key derivation, `moderate`). Also the whole `note` command as a process, when the
/// `evidence` binary is built beside this one, and the cost of taking notes in at the next unlock.
func runNoteBench(quick: Bool, root: URL) throws {
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let folder = root.appendingPathComponent("note-vault")
  _ = try Vault.create(at: folder, passphrase: passphrase(), strength: .moderate)
  let zone = TimeZone(identifier: "Europe/Stockholm") ?? .current
  let text = String(repeating: "He stood outside the door for an hour. ", count: 25)  // about 1 KiB
  let photo = root.appendingPathComponent("note-photo.jpg")
  try Data((0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }).write(to: photo)

  let unlock = try fastest { _ = try Vault.open(at: folder, passphrase: passphrase()) }
  let rounds = quick ? 20 : 100
  let note = try seconds {
    for _ in 0..<rounds {
      try QuickNoteWriter.write(text: text, files: [], toVaultAt: folder, timeZone: zone, now: Date())
    }
  }
  print(
    String(
      format: "note of 1 KiB (in process, each): %.2f ms; baseline (unlocking the same vault) %.0f ms; ratio 1:%.0f",
      note / Double(rounds) * 1000, unlock * 1000, unlock / (note / Double(rounds))))
  let withPhoto = try fastest {
    try QuickNoteWriter.write(text: text, files: [photo], toVaultAt: folder, timeZone: zone, now: Date())
  }
  report("note with a 4 MiB photo", withPhoto, baseline: unlock, baselineName: "unlocking the same vault")

  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("evidence")
  if FileManager.default.isExecutableFile(atPath: binary.path) {
    let input = root.appendingPathComponent("note-text.txt")
    try Data(text.utf8).write(to: input)
    let processRounds = quick ? 5 : 20
    let command = try seconds {
      for _ in 0..<processRounds {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["note", "--vault", folder.path]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
      }
    }
    let version = seconds { for _ in 0..<processRounds { _ = benchRun(binary.path, ["--version"]) } }
    report(
      "`evidence note` as a command (each)", command / Double(processRounds),
      baseline: version / Double(processRounds),
      baselineName: "`evidence --version`, the start of the program alone")
  }

  // The notes written above wait in inbox/; the next unlock takes them all in.
  let waiting =
    (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("inbox").path))?
    .count ?? 0
  let intake = try seconds { _ = try Vault.open(at: folder, passphrase: passphrase()) }
  report(
    "unlock taking in \(waiting) inbox items", intake, baseline: unlock, baselineName: "unlocking with none waiting")
  try? FileManager.default.removeItem(at: folder)
  try? FileManager.default.removeItem(at: photo)
}
