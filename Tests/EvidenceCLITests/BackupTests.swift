import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `evidence backup`, `backup --check` and `restore`, as the person runs them.
@Suite("Backups through the CLI: backup, update, check, restore, and what wipe and every unlock make of them")
struct BackupCommandTests {
  /// A vault with one entry and an exhibit, and an empty `usb` folder beside it.
  private func vaultWithExhibit() throws -> (vault: TestVault, usb: URL, exhibit: URL) {
    let vault = try TestVault()
    try vault.addEntry(when: "igår 10:00", title: "Threats", narrative: "He said he would find me.")
    let exhibit = vault.root.appendingPathComponent("photo.bin")
    try Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }).write(to: exhibit)
    try vault.succeed(["attach", "1", exhibit.path])
    let usb = vault.root.appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
    return (vault, usb, exhibit)
  }

  /// The one backup folder in `usb`.
  private func backupFolder(_ usb: URL) throws -> URL {
    let names = try FileManager.default.contentsOfDirectory(atPath: usb.path).filter { !$0.hasPrefix(".") }
    try #require(names.count == 1, "\(names)")
    return usb.appendingPathComponent(names[0])
  }

  /// The N of "verifies: N records" in a `backup --check` run.
  private func checkedRecords(_ result: RunResult) -> Int? {
    guard let match = result.stdout.firstMatch(of: /verifies: (\d+) records?/) else { return nil }
    return Int(match.1)
  }

  private func restore(_ vault: TestVault, from usb: URL, to destination: URL) throws -> RunResult {
    try EvidenceRunner.run(
      vault.binary, ["restore", usb.path, "--to", destination.path, "--passphrase-fd", "3"],
      passphraseFile: vault.passphraseFile)
  }

  @Test func backupUpdateAndRestoreGiveTheSameJournalAndExhibitsByteForByte() throws {
    let (vault, usb, exhibit) = try vaultWithExhibit()
    defer { vault.remove() }
    let first = try vault.succeed(["backup", "--to", usb.path])
    #expect(first.stdout.contains("Backed up to"), "\(first)")
    #expect(first.stdout.contains("read back and checked"), "\(first)")
    let set = try backupFolder(usb).appendingPathComponent("1")
    let journalBefore = try Data(contentsOf: set.appendingPathComponent("journal.log"))

    try vault.addEntry(when: "igår 12:00", title: "Later", narrative: "He came back.")
    let second = try vault.succeed(["backup", "--to", usb.path])
    #expect(second.stdout.contains("Written this time: 1 new record and 0 new attachment files"), "\(second)")
    let journalAfter = try Data(contentsOf: set.appendingPathComponent("journal.log"))
    #expect(journalAfter == (try vault.journalBytes()))
    #expect(journalAfter.prefix(journalBefore.count) == journalBefore, "the update only appended")

    let checked = try vault.succeed(["backup", "--check", usb.path])
    #expect(checked.stdout.contains("OK: the backup"), "\(checked)")
    #expect(checked.stdout.contains("It holds every record of the journal."), "\(checked)")

    let restored = vault.root.appendingPathComponent("restored")
    let result = try restore(vault, from: usb, to: restored)
    #expect(result.exitCode == 0, "\(result)")
    #expect(result.stdout.contains("Restored into \(restored.path): 3 records and 1 exhibit"), "\(result)")
    let verified = try vault.run(["verify"], vault: restored)
    #expect(verified.exitCode == 0 && verified.stdout.contains("OK: 3 records verify"), "\(verified)")
    let listedHere = try vault.succeed(["list"])
    let listedThere = try vault.run(["list"], vault: restored)
    #expect(listedThere.stdout == listedHere.stdout)
    // The restored journal knows it is in the backup it came from, whole.
    #expect(!listedThere.stderr.contains("There is no backup"), "\(listedThere)")
    #expect(listedThere.stderr.contains("to \(usb.standardizedFileURL.path); every record is in it."), "\(listedThere)")
    let extracted = vault.root.appendingPathComponent("extracted.bin")
    let extract = try vault.run(["extract", "A1", "--out", extracted.path], vault: restored)
    #expect(extract.exitCode == 0, "\(extract)")
    #expect(try Data(contentsOf: extracted) == Data(contentsOf: exhibit))
  }

  @Test func aFlippedByteInTheBackupIsNamedByCheckAndRestoreRefusesAndTheVaultIsUntouched() throws {
    let (vault, usb, _) = try vaultWithExhibit()
    defer { vault.remove() }
    try vault.succeed(["backup", "--to", usb.path])
    let blobs = try backupFolder(usb).appendingPathComponent("1/blobs")
    let blob = try #require(FileManager.default.subpathsOfDirectory(atPath: blobs.path).first { $0.count > 3 })
    let url = blobs.appendingPathComponent(blob)
    var bytes = try Data(contentsOf: url)
    bytes[90_000] ^= 0x20
    try bytes.write(to: url)
    let before = try vault.snapshotOutsideInbox().files

    let checked = try vault.run(["backup", "--check", usb.path])
    expectCleanFailure(checked, exitCode: 1, messageContains: ["does not verify"])
    #expect(checked.stdout.contains("DAMAGED: ") && checked.stdout.contains(blob), "\(checked)")

    let restored = vault.root.appendingPathComponent("restored")
    let refused = try restore(vault, from: usb, to: restored)
    expectCleanFailure(refused, exitCode: 1, messageContains: ["nothing was restored", String(blob.suffix(64))])
    #expect(!FileManager.default.fileExists(atPath: restored.path))
    let after = try vault.snapshotOutsideInbox().files
    #expect(after.filter { !$0.key.hasPrefix("backup.") } == before.filter { !$0.key.hasPrefix("backup.") })
  }

  @Test func aTargetInsideTheVaultIsRefused() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 10:00", title: "Threats", narrative: "He said he would find me.")
    for target in [vault.folder, vault.folder.appendingPathComponent("blobs")] {
      let refused = try vault.run(["backup", "--to", target.path])
      expectCleanFailure(refused, exitCode: 2, messageContains: ["inside the vault folder"])
    }
  }

  @Test func wipeRefusesWithoutABackupOfTheLastRecordAndProceedsAfterOne() throws {
    let (vault, usb, _) = try vaultWithExhibit()
    defer { vault.remove() }
    let wipe = ["wipe", "--confirm-erase", "--vault", vault.folder.path]
    expectCleanFailure(try EvidenceRunner.run(vault.binary, wipe), exitCode: 2, messageContains: ["no backup"])
    try vault.succeed(["backup", "--to", usb.path])
    try vault.addEntry(when: "igår 12:00", title: "Later", narrative: "Not in the backup yet.")
    expectCleanFailure(try EvidenceRunner.run(vault.binary, wipe), exitCode: 2, messageContains: ["no backup"])
    try vault.succeed(["backup", "--to", usb.path])
    // No passphrase on fd 3: wipe reads only the clear-text reach of the last backup.
    let wiped = try EvidenceRunner.run(vault.binary, wipe)
    #expect(wiped.exitCode == 0, "\(wiped)")
    #expect(!FileManager.default.fileExists(atPath: vault.folder.path))
  }

  @Test func everyUnlockTellsOfTheLastBackupAndTheReminderComesOnceAWeek() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 10:00", title: "Threats", narrative: "He said he would find me.")
    func list(at now: String) throws -> RunResult {
      let result = try vault.run(["list"], shellPrefix: "export EVIDENCE_TEST_NOW=\(now);")
      try #require(result.exitCode == 0, "\(result)")
      return result
    }
    #expect(try list(at: "2026-11-30T11:00:00Z").stderr.contains("There is no backup of this journal yet."))
    #expect(!(try list(at: "2026-12-06T11:00:00Z").stderr.contains("There is no backup")))
    #expect(try list(at: "2026-12-07T12:00:00Z").stderr.contains("There is no backup of this journal yet."))

    let usb = vault.root.appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
    try vault.succeed(["backup", "--to", usb.path])
    for hour in 11...15 {
      try vault.addEntry(when: "igår \(hour):00", title: "Entry \(hour)", narrative: "Not backed up.")
    }
    let later = try list(at: "2026-12-12T09:00:00Z")
    #expect(
      later.stderr.contains("evidence: Last backup: 12 days ago, to \(usb.path); 5 records are not in it."),
      "\(later)")
    let verified = try vault.run(["verify"], shellPrefix: "export EVIDENCE_TEST_NOW=2026-12-01T09:00:00Z;")
    #expect(verified.stderr.contains("Last backup: yesterday, to \(usb.path); 5 records are not in it."), "\(verified)")
    // Nothing of when or where is in the clear in the vault.
    let reach = try String(contentsOf: vault.folder.appendingPathComponent("backup.json"), encoding: .utf8)
    #expect(!reach.contains("usb") && !reach.contains("2026"), "\(reach)")
  }

  @Test(arguments: ["write", "fsync", "rename"])
  func aBackupKilledAtAnyCallIsTheOldOrTheNewBackupAndCheckSaysWhich(syscall: String) throws {
    let strace = try #require(EvidenceRunner.onPath("strace"), "strace is installed")
    let (template, usb, _) = try vaultWithExhibit()
    defer { template.remove() }
    try template.succeed(["backup", "--to", usb.path])
    try template.addEntry(when: "igår 12:00", title: "Later", narrative: "Only in the new backup.")
    let other = template.root.appendingPathComponent("other.bin")
    try Data(repeating: 0x5A, count: 90_000).write(to: other)
    try template.succeed(["attach", "1", other.path])
    let oldCount = 2
    let newCount = 4
    var sawOld = 0
    var sawNew = 0
    var finished = false
    for n in 1...80 {
      let run = template.root.appendingPathComponent("run-\(n)", isDirectory: true)
      try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: run) }
      let cp = try #require(EvidenceRunner.onPath("cp"))
      for folder in [template.folder, usb] {
        let copied = try EvidenceRunner.run(cp, ["-a", folder.path, run.path])
        try #require(copied.exitCode == 0, "\(copied)")
      }
      let vaultCopy = run.appendingPathComponent("vault")
      let usbCopy = run.appendingPathComponent("usb")
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", template.binary.path,
          "backup", "--to", usbCopy.path, "--vault", vaultCopy.path, "--passphrase-fd", "3",
        ], passphraseFile: template.passphraseFile)
      let killed = result.signal != nil || result.exitCode == 128 + SIGKILL
      if !killed {
        #expect(result.exitCode == 0, "\(syscall) run \(n): \(result)")
        finished = true
      }
      let checked = try template.run(["backup", "--check", usbCopy.path], vault: vaultCopy)
      expectNoCrashText(checked)
      if checked.exitCode == 0 {
        let count = checkedRecords(checked)
        #expect(count == oldCount || count == newCount, "\(syscall) run \(n): \(checked)")
        if count == oldCount { sawOld += 1 } else { sawNew += 1 }
        if !killed { #expect(count == newCount, "a backup that finished holds the new records: \(checked)") }
      } else {
        Issue.record("after the kill at \(syscall) #\(n) the backup does not verify: \(checked)\nthe run: \(result)")
        break
      }
      // Whatever the kill left, the next backup completes and holds everything.
      let again = try template.run(["backup", "--to", usbCopy.path], vault: vaultCopy)
      #expect(again.exitCode == 0, "after the kill at \(syscall) #\(n): \(again)")
      let final = try template.run(["backup", "--check", usbCopy.path], vault: vaultCopy)
      #expect(checkedRecords(final) == newCount, "\(final)")
      if finished { break }
    }
    #expect(finished, "no \(syscall) run finished within 80 injections")
    #expect(sawOld >= 1, "no \(syscall) kill left the old backup: the injection exercised nothing")
  }

  @Test(arguments: ["fsync", "rename"])
  func aRestoreKilledAtAnyCallLeavesNoJournalOrAWholeOneAndCanBeDoneAgain(syscall: String) throws {
    let strace = try #require(EvidenceRunner.onPath("strace"), "strace is installed")
    let (vault, usb, _) = try vaultWithExhibit()
    defer { vault.remove() }
    try vault.succeed(["backup", "--to", usb.path])
    let backupBefore = try TestVault.snapshot(of: usb)
    var finished = false
    for n in 1...40 {
      let destination = vault.root.appendingPathComponent("restored-\(n)")
      let result = try EvidenceRunner.run(
        strace,
        [
          "-f", "-o", "/dev/null", "-e", "inject=\(syscall):signal=SIGKILL:when=\(n)", vault.binary.path,
          "restore", usb.path, "--to", destination.path, "--passphrase-fd", "3",
        ], passphraseFile: vault.passphraseFile)
      let killed = result.signal != nil || result.exitCode == 128 + SIGKILL
      if FileManager.default.fileExists(atPath: destination.path) {
        // Once the folder is there under its name, it is whole.
        let verified = try vault.run(["verify"], vault: destination)
        #expect(verified.exitCode == 0, "after the kill at \(syscall) #\(n): \(verified)")
      }
      if !killed {
        #expect(result.exitCode == 0 && result.stdout.contains("Restored into"), "\(result)")
        finished = true
        break
      }
      // The next restore into the same folder completes.
      try? FileManager.default.removeItem(at: destination)
      let again = try restore(vault, from: usb, to: destination)
      #expect(again.exitCode == 0, "after the kill at \(syscall) #\(n): \(again)")
    }
    #expect(finished, "no \(syscall) run finished within 40 injections")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: vault.root.path).filter {
      $0.contains(".restoring")
    }
    #expect(leftovers.isEmpty, "a killed restore's partial copy is removed by the next: \(leftovers)")
    #expect(try TestVault.snapshot(of: usb) == backupBefore, "a restore never writes into the backup")
  }
}
