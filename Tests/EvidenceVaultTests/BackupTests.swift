import Foundation
import Testing

@testable import EvidenceVault

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Backups: the vault's own ciphertext, appended to, checked and restored")
struct BackupTests {
  /// A vault with two entries and one exhibit, and an empty target folder beside it.
  private func vaultAndTarget() throws -> (folder: URL, target: URL, exhibit: URL) {
    let folder = try TestVaults.makeCheap(entries: 2)
    let target = folder.deletingLastPathComponent().appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let exhibit = folder.deletingLastPathComponent().appendingPathComponent("photo.bin")
    try writeBytes((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }, to: exhibit)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    try vault.attach([exhibit], toEntry: 1)
    return (folder, target, exhibit)
  }

  private func backupFolder(_ target: URL) throws -> URL {
    let names = try FileManager.default.contentsOfDirectory(atPath: target.path)
    try #require(names.count == 1, "one backup folder in the target: \(names)")
    return target.appendingPathComponent(names[0])
  }

  private func inode(_ url: URL) -> (ino_t, Int) {
    var info = stat()
    _ = stat(url.path, &info)
    return (info.st_ino, info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec)
  }

  @Test func aBackupUpdatedAfterNewRecordsWritesOnlyTheNewFramesAndBlobsAndRestoresByteForByte() throws {
    let (folder, target, exhibit) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    let first: BackupOutcome
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      first = try vault.backup(to: target)
      #expect(first.startedNewSet && first.recordCount == vault.integrity.head.sequence && first.blobCount == 1)
      #expect(first.check.isIntact, "\(first.check.problems)")
    }
    let backup = try backupFolder(target)
    #expect(backup.lastPathComponent.count == 16)
    let setJournal = backup.appendingPathComponent("1/journal.log")
    let journalBefore = try readBytes(setJournal)
    let blobsBefore = try FileManager.default.subpathsOfDirectory(atPath: backup.appendingPathComponent("1/blobs").path)
      .filter { $0.count > 3 }
    let blobURL = backup.appendingPathComponent("1/blobs").appendingPathComponent(blobsBefore[0])
    let blobIdentity = inode(blobURL)

    let second: BackupOutcome
    let other = folder.deletingLastPathComponent().appendingPathComponent("other.bin")
    try writeBytes(Array(repeating: 0x42, count: 70_000), to: other)
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      try vault.addEntry(TestVaults.sampleEntry(title: "Third"))
      try vault.attach([other], toEntry: 3)
      let vaultJournal = try readBytes(TestVaults.journal(folder))
      second = try vault.backup(to: target)
      #expect(!second.startedNewSet, "an update appends to the same set")
      #expect(second.newBlobCount == 1 && second.blobCount == 2)
      #expect(second.newJournalByteCount == vaultJournal.count - journalBefore.count)
      #expect(second.newRecordCount == 2)
      let journalAfter = try readBytes(setJournal)
      #expect(journalAfter == vaultJournal)
      #expect(Array(journalAfter.prefix(journalBefore.count)) == journalBefore)
      let identity = inode(blobURL)
      #expect(identity.0 == blobIdentity.0 && identity.1 == blobIdentity.1, "the old blob was not rewritten")
    }

    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    let outcome = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase())
    #expect(outcome.recordCount == second.recordCount && outcome.exhibitCount == 2)
    let original = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let copy = try Vault.open(at: restored, passphrase: TestVaults.passphrase())
    #expect(copy.integrity.isIntact && copy.integrity.head == original.integrity.head)
    #expect(copy.records.map(\.bytes) == original.records.map(\.bytes))
    let extracted = folder.deletingLastPathComponent().appendingPathComponent("extracted.bin")
    try copy.extract("A1", to: extracted)
    #expect(try readBytes(extracted) == readBytes(exhibit))
    #expect(try copy.checkExhibits().isIntact)
    for name in ["vault.json", "journal.log", "head.json"] {
      #expect(try readBytes(restored.appendingPathComponent(name)) == readBytes(folder.appendingPathComponent(name)))
    }
  }

  @Test func checkingCountsTheRecordsNotInTheBackupAndAPassphraseChangeBeginsANewSet() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      _ = try vault.backup(to: target)
      try vault.addEntry(TestVaults.sampleEntry(title: "Not yet backed up"))
      let check = try vault.checkBackup(in: target, passphrase: TestVaults.passphrase())
      #expect(check.isIntact, "\(check.problems)")
      #expect(check.recordsNotInBackup == 1)
    }
    try Vault.changePassphrase(
      at: folder, from: TestVaults.passphrase(), to: TestVaults.passphrase("a new one"), strength: .interactive)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase("a new one"))
    let outcome = try vault.backup(to: target)
    #expect(outcome.startedNewSet)
    let backup = try backupFolder(target)
    #expect(!FileManager.default.fileExists(atPath: backup.appendingPathComponent("1").path), "the old set is gone")
    #expect(FileManager.default.fileExists(atPath: backup.appendingPathComponent("2/journal.log").path))
    let check = try vault.checkBackup(in: target, passphrase: TestVaults.passphrase("a new one"))
    #expect(check.isIntact && check.recordsNotInBackup == 0, "\(check.problems)")
  }

  @Test func afterAChangeOfKeysTheOldBackupIsToldApartAndTheNextBackupBeginsANewSetUnderTheNewKeys() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      _ = try vault.backup(to: target)
    }
    _ = try Vault.rekey(
      at: folder, from: TestVaults.passphrase(), to: TestVaults.passphrase("new keys"), strength: .interactive)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase("new keys"))
    #expect(
      vault.backupNotice() == .last(BackupStatus(madeAt: nil, target: nil, recordsNotInBackup: 0)),
      "the sealed details do not open under the new keys; the clear reach still counts")
    do {
      _ = try vault.checkBackup(in: target, passphrase: TestVaults.passphrase("new keys"))
      Issue.record("a backup under the old keys opened with the new passphrase")
    } catch {
      #expect(error.code == .wrongPassphrase && error.message.contains("before the keys were changed"))
    }
    let outcome = try vault.backup(to: target)
    #expect(outcome.startedNewSet && outcome.check.isIntact)
    let check = try vault.checkBackup(in: target, passphrase: TestVaults.passphrase("new keys"))
    #expect(check.isIntact && check.recordsNotInBackup == 0, "\(check.problems)")
    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    _ = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase("new keys"))
  }

  /// Damage to one file of the backup: (what to do to it, a word the problem names).
  static let damages: [(String, String)] = [
    ("flip-journal", "journal.log"), ("truncate-blob", "cut off"), ("remove-blob", "missing"),
    ("flip-blob", "blobs/"), ("remove-header", "vault.json"), ("flip-manifest", "manifest.json"),
  ]

  @Test(arguments: damages)
  func aDamagedBackupIsNamedByCheckAndRestoreRefusesIt(damage: String, named: String) throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      _ = try vault.backup(to: target)
    }
    let vaultBefore = try snapshot(folder)
    let backup = try backupFolder(target)
    let set = backup.appendingPathComponent("1")
    let blob = try #require(
      FileManager.default.subpathsOfDirectory(atPath: set.appendingPathComponent("blobs").path).first { $0.count > 3 })
    let blobURL = set.appendingPathComponent("blobs").appendingPathComponent(blob)
    switch damage {
    case "flip-journal": try flip(set.appendingPathComponent("journal.log"), at: 100)
    case "truncate-blob":
      let bytes = try readBytes(blobURL)
      try writeBytes(Array(bytes.dropLast(1000)), to: blobURL)
    case "remove-blob": try FileManager.default.removeItem(at: blobURL)
    case "flip-blob": try flip(blobURL, at: 70_000)
    case "remove-header": try FileManager.default.removeItem(at: set.appendingPathComponent("vault.json"))
    default:
      let url = backup.appendingPathComponent("manifest.json")
      var manifest = try #require(try BackupManifest.read(in: backup))
      manifest.journalByteCount -= 1
      try writeBytes(manifest.encoded(), to: url)
    }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let check = try vault.checkBackup(in: target, passphrase: TestVaults.passphrase())
    #expect(!check.isIntact)
    #expect(check.problems.contains { $0.contains(named) }, "\(check.problems)")
    withExtendedLifetime(vault) {}

    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    do {
      _ = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase())
      Issue.record("a damaged backup was restored")
    } catch {
      #expect(error.code == .backupDamaged, "\(error)")
      #expect(error.message.contains("nothing was restored") || error.message.contains("Nothing was restored"))
    }
    #expect(!FileManager.default.fileExists(atPath: restored.path))
    let after = try snapshot(folder)
    #expect(after.filter { !$0.key.hasPrefix("inbox/") } == vaultBefore.filter { !$0.key.hasPrefix("inbox/") })
  }

  @Test func aQuickNoteWaitingInTheInboxIsBackedUpAndTakenInByTheRestoredVault() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    let count: UInt64
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      count = vault.integrity.head.sequence
      // Written while the vault is open, so it waits in inbox/ when the backup is made.
      try QuickNoteWriter.write(
        text: "He is outside again.", files: [], toVaultAt: folder, timeZone: TimeZone(identifier: "UTC") ?? .current,
        now: Date(timeIntervalSince1970: 1_796_036_400))
      let outcome = try vault.backup(to: target)
      #expect(outcome.inboxCount == 1 && outcome.recordCount == count)
    }
    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    let outcome = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase())
    #expect(outcome.recordCount == count)
    let vault = try Vault.open(at: restored, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.head.sequence == count + 1, "the note was taken in at the first unlock")
    #expect(vault.index.entries.last?.current.narrative == "He is outside again.")
  }

  @Test func theManifestAndTheVaultsBackupReachValidateAgainstTheirSchemas() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let outcome = try vault.backup(to: target)
    for (file, schema) in [
      (outcome.folder.appendingPathComponent("manifest.json"), "backup-manifest.schema.json"),
      (folder.appendingPathComponent("backup.json"), "backup-reach.schema.json"),
    ] {
      let (status, output) = try SchemaTests.validate(try readBytes(file), against: schema)
      #expect(status == 0, "\(file.lastPathComponent): \(output)")
    }
  }

  /// A manifest whose names would lead out of the backup folder: (the field changed, its new value).
  static let hostileNames: [(String, String)] = [
    ("inbox", "../../vault.json"), ("inbox", "/etc/passwd"), ("blob", "../" + String(repeating: "a", count: 61)),
    ("blob", String(repeating: "A", count: 64)),
  ]

  @Test(arguments: hostileNames)
  func aManifestNamingFilesOutsideTheBackupIsRefusedBeforeAnythingIsRead(field: String, name: String) throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    let outcome: BackupOutcome
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      outcome = try vault.backup(to: target)
    }
    var manifest = try #require(try BackupManifest.read(in: outcome.folder))
    let file = BackupManifest.CopiedFile(name: name, byteCount: 1, sha256: String(repeating: "0", count: 64))
    if field == "inbox" { manifest.inbox.append(file) } else { manifest.blobs.append(file) }
    try writeBytes(manifest.encoded(), to: outcome.folder.appendingPathComponent("manifest.json"))
    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    do {
      _ = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase())
      Issue.record("a manifest naming \(name) was taken")
    } catch {
      #expect(error.code == .backupDamaged && error.message.contains("manifest"), "\(error)")
    }
    #expect(!FileManager.default.fileExists(atPath: restored.path))
  }

  @Test func aTargetInsideTheVaultIsRefused() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    for target in [folder, folder.appendingPathComponent("blobs")] {
      #expect(throws: VaultError.self) { try vault.backup(to: target) }
      do {
        _ = try vault.backup(to: target)
      } catch {
        #expect(error.code == .invalidInput && error.message.contains("inside the vault"))
      }
    }
  }

  @Test func aWrongPassphraseRestoresNothingAndWritesNothingIntoTheBackup() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      _ = try vault.backup(to: target)
    }
    let before = try snapshot(target)
    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    #expect(throws: VaultError.self) {
      _ = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase("wrong"))
    }
    #expect(try snapshot(target) == before)
    #expect(!FileManager.default.fileExists(atPath: restored.path))
  }

  @Test func restoreRefusesAFolderThatHoldsFiles() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      _ = try vault.backup(to: target)
    }
    let restored = folder.deletingLastPathComponent().appendingPathComponent("restored")
    try FileManager.default.createDirectory(at: restored, withIntermediateDirectories: true)
    try writeBytes([1], to: restored.appendingPathComponent("something"))
    do {
      _ = try Vault.restore(from: target, to: restored, passphrase: TestVaults.passphrase())
      Issue.record("restored into a folder with files")
    } catch {
      #expect(error.code == .alreadyExists)
    }
  }

  @Test func theWipeKnowsWithoutThePassphraseWhetherABackupHoldsTheLastRecord() throws {
    let (folder, target, _) = try vaultAndTarget()
    defer { TestVaults.remove(folder) }
    #expect(!Vault.hasBackupOfEveryRecord(at: folder))
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      _ = try vault.backup(to: target)
    }
    #expect(Vault.hasBackupOfEveryRecord(at: folder))
    let reach = try String(contentsOf: folder.appendingPathComponent("backup.json"), encoding: .utf8)
    #expect(!reach.contains(target.path) && !reach.contains("usb") && !reach.contains("20"))
    let sealed = try readBytes(folder.appendingPathComponent("backup.sealed"))
    #expect(!String(decoding: sealed, as: UTF8.self).contains("usb"))
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      try vault.addEntry(TestVaults.sampleEntry(title: "After the backup"))
    }
    #expect(!Vault.hasBackupOfEveryRecord(at: folder))
  }

  @Test func theNoticeSaysWhenAndWhereAndTheReminderComesOnceAWeek() throws {
    let start = Date(timeIntervalSince1970: 1_796_036_400)
    nonisolated(unsafe) var now = start
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let target = folder.deletingLastPathComponent().appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    func notice() throws -> BackupNotice? {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: { now })
      return vault.backupNotice()
    }
    #expect(try notice() == .noneReminder)
    now = start.addingTimeInterval(6 * 86_400)
    #expect(try notice() == nil, "no second reminder within the week")
    now = start.addingTimeInterval(7 * 86_400 + 60)
    #expect(try notice() == .noneReminder)
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: { now })
      _ = try vault.backup(to: target)
      try vault.addEntry(TestVaults.sampleEntry(title: "New"))
    }
    let backupTime = now
    now = now.addingTimeInterval(12 * 86_400)
    #expect(
      try notice()
        == .last(
          BackupStatus(madeAt: backupTime, target: target.standardizedFileURL.path, recordsNotInBackup: 1)))
  }

  // MARK: - Helpers

  private func flip(_ url: URL, at offset: Int) throws {
    var bytes = try readBytes(url)
    bytes[min(offset, bytes.count - 1)] ^= 0x01
    try writeBytes(bytes, to: url)
  }

  private func snapshot(_ folder: URL) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
      let url = folder.appendingPathComponent(path)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
        files[path] = try readBytes(url)
      }
    }
    return files
  }
}

/// A backup to a disk without room for it: one sentence saying how much it needs, and the previous backup intact.
@Suite(.enabled(if: SmallDisk.canMount, "mounting a tmpfs needs root")) struct BackupFullDiskTests {
  @Test func aFullTargetSaysHowMuchSpaceIsNeededAndLeavesThePreviousBackupIntact() throws {
    let disk = try SmallDisk(megabytes: 2)
    defer { disk.unmount() }
    let folder = try TestVaults.makeCheap(entries: 2)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let first = try vault.backup(to: disk.folder)
    let large = folder.deletingLastPathComponent().appendingPathComponent("video.bin")
    try writeBytes((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }, to: large)
    try vault.attach([large], toEntry: 2)
    let manifest = try readBytes(first.folder.appendingPathComponent("manifest.json"))
    do {
      _ = try vault.backup(to: disk.folder)
      Issue.record("a backup larger than the disk was written")
    } catch {
      #expect(error.code == .diskFull, "\(error)")
      #expect(error.message.contains("The backup needs 3.") && error.message.contains("MB"), "\(error.message)")
      #expect(error.message.contains("the previous backup there is still complete"), "\(error.message)")
    }
    #expect(try readBytes(first.folder.appendingPathComponent("manifest.json")) == manifest)
    let check = try vault.checkBackup(in: disk.folder, passphrase: TestVaults.passphrase())
    #expect(check.isIntact && check.recordCount == 2, "\(check.problems)")
    #expect(check.recordsNotInBackup == 1)
  }

  @Test func aDiskThatFillsDuringTheCopyLeavesThePreviousBackupAndFreesWhatThisRunWrote() throws {
    let disk = try SmallDisk(megabytes: 8)
    defer { disk.unmount() }
    let folder = try TestVaults.makeCheap(entries: 2)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let first = try vault.backup(to: disk.folder)
    for index in 0..<2 {
      let file = folder.deletingLastPathComponent().appendingPathComponent("video-\(index).bin")
      try writeBytes((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* (index + 3) &+ index) }, to: file)
      try vault.attach([file], toEntry: 2)
    }
    let setJournal = first.folder.appendingPathComponent("1/journal.log")
    let journalBefore = try readBytes(setJournal)
    // The estimate fits; once the copy has begun, something else takes the rest of the disk.
    var filled = false
    do {
      _ = try vault.backup(to: disk.folder) { done, _ in
        guard !filled, done > 0 else { return }
        filled = true
        try? disk.fill()
      }
      Issue.record("the backup finished on a full disk")
    } catch {
      #expect(error.code == .diskFull, "\(error)")
      #expect(error.message.contains("The backup needs"), "\(error.message)")
    }
    #expect(filled)
    #expect(try readBytes(setJournal) == journalBefore, "the set's journal is cut back to the previous backup")
    let blobs = try FileManager.default.subpathsOfDirectory(atPath: first.folder.appendingPathComponent("1/blobs").path)
    #expect(blobs.allSatisfy { !$0.contains("/") || $0.hasSuffix("/") || $0.count <= 3 }, "no new blob left: \(blobs)")
    try disk.unfill()
    let check = try vault.checkBackup(in: disk.folder, passphrase: TestVaults.passphrase())
    #expect(check.isIntact && check.recordCount == 2, "\(check.problems)")
    let again = try vault.backup(to: disk.folder)
    #expect(again.recordCount == vault.integrity.head.sequence && again.check.isIntact)
  }
}
