import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// An export or an extract stopped halfway leaves no plaintext behind: Ctrl-C or SIGTERM removes what it wrote,
/// and what a killed one left is removed by the next export to the same place.
@Suite struct InterruptedExportTests {
  /// A vault with an entry and a photo of `megabytes` MiB.
  static func vaultWithPhoto(megabytes: Int = 16) throws -> TestVault {
    let vault = try TestVault()
    let photo = vault.root.appendingPathComponent("photo.jpg")
    let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
    try random.readData(ofLength: megabytes << 20).write(to: photo)
    try vault.succeed(
      ["add", "--when", "2026-11-29 10:00", "--title", "Bruises", "--narrative-file", "-", "--attach", photo.path],
      stdin: "He grabbed my arm.\n")
    return vault
  }

  static func strace() -> URL? { EvidenceRunner.onPath("strace") }

  /// `evidence ARGS` under strace, with `signal` sent at its `n`th write.
  static func run(
    _ vault: TestVault, _ arguments: [String], signal: String, atWrite n: Int, strace: URL
  ) throws -> RunResult {
    try EvidenceRunner.run(
      strace,
      ["-f", "-o", "/dev/null", "-e", "inject=write:signal=\(signal):when=\(n)", vault.binary.path] + arguments
        + ["--vault", vault.folder.path, "--passphrase-fd", "3"],
      passphraseFile: vault.passphraseFile)
  }

  /// Starts `evidence ARGS`, waits until `started` says it is writing, then sends `signal` as a person's Ctrl-C
  /// (or a shutdown's SIGTERM) would: to the process. Returns its exit status, or nil when it had finished first.
  static func interrupt(
    _ vault: TestVault, _ arguments: [String], with signal: Int32, once started: () -> Bool
  ) throws -> Int32? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments =
      ["-c", "exec \"$0\" \"$@\" 3<\"$PASSPHRASE_FILE\"", vault.binary.path] + arguments
      + ["--vault", vault.folder.path, "--passphrase-fd", "3"]
    var environment = ProcessInfo.processInfo.environment
    EvidenceRunner.fixClock(&environment)
    environment["PASSPHRASE_FILE"] = vault.passphraseFile.path
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && !started() && Date() < deadline { usleep(2_000) }
    guard process.isRunning else { return nil }
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test(arguments: [SIGINT, SIGTERM])
  func anExportStoppedHalfwayLeavesNothing(signal: Int32) throws {
    let vault = try Self.vaultWithPhoto(megabytes: 96)
    defer { vault.remove() }
    let out = vault.root.appendingPathComponent("dossier")
    let exhibits = out.appendingPathComponent("exhibits")
    let status = try Self.interrupt(vault, ["export", "--out", out.path, "--format", "txt", "--zip"], with: signal) {
      // Once the exhibit is being written: the export is halfway.
      let names = (try? FileManager.default.contentsOfDirectory(atPath: exhibits.path)) ?? []
      return names.contains { name in
        ((try? FileManager.default.attributesOfItem(atPath: exhibits.appendingPathComponent(name).path))?[.size]
          as? Int ?? 0) > 0
      }
    }
    let exitStatus = try #require(status, "the export finished before it could be stopped")
    #expect(exitStatus == 128 + signal)
    #expect(!FileManager.default.fileExists(atPath: out.path), "the half-made export is gone")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: vault.root.path).filter {
      $0.contains("dossier")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func whatAKilledExportLeftIsRemovedByTheNextExportThere() throws {
    guard let strace = Self.strace() else {
      Issue.record("strace is not installed (apt-get install strace).")
      return
    }
    let vault = try Self.vaultWithPhoto()
    defer { vault.remove() }
    let out = vault.root.appendingPathComponent("dossier")
    let killed = try Self.run(
      vault, ["export", "--out", out.path, "--format", "txt"], signal: "SIGKILL", atWrite: 6, strace: strace)
    #expect(killed.exitCode == 128 + SIGKILL || killed.signal != nil, "\(killed)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(".export-unfinished").path))

    let again = try vault.succeed(["export", "--out", out.path, "--format", "txt"])
    #expect(again.stderr.contains("An export that was stopped had left files in"), "\(again)")
    let checked = try EvidenceRunner.run(vault.binary, ["verify-export", out.path])
    #expect(checked.exitCode == 0, "\(checked)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".export-unfinished").path))
  }

  @Test func aFolderOfOtherFilesIsNeverTakenForALeftover() throws {
    let vault = try Self.vaultWithPhoto()
    defer { vault.remove() }
    let out = vault.root.appendingPathComponent("mine")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try Data().write(to: out.appendingPathComponent(".export-unfinished"))
    try Data("my letter".utf8).write(to: out.appendingPathComponent("letter.txt"))
    let refused = try vault.run(["export", "--out", out.path, "--format", "txt"])
    #expect(refused.exitCode != 0, "\(refused)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("letter.txt").path))
  }

  @Test func anExtractStoppedHalfwayLeavesNoCopy() throws {
    let vault = try Self.vaultWithPhoto(megabytes: 96)
    defer { vault.remove() }
    let copy = vault.root.appendingPathComponent("copy.jpg")
    let status = try Self.interrupt(vault, ["extract", "A1", "--out", copy.path], with: SIGINT) {
      ((try? FileManager.default.attributesOfItem(atPath: copy.path))?[.size] as? Int ?? 0) > 0
    }
    #expect(try #require(status, "the extract finished before it could be stopped") == 130)
    #expect(!FileManager.default.fileExists(atPath: copy.path))
  }
}
