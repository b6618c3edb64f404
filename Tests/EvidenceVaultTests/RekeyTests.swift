import Foundation
import Testing

@testable import EvidenceVault

#if canImport(Glibc)
  import Glibc
#endif

/// `Vault.rekey` (`evidence passwd --rekey`): a new master key, every record and blob re-encrypted, a stop at any
/// step finished by the next open with either passphrase.
@Suite struct RekeyTests {
  static let oldPassphrase = "correct horse battery"
  static let newPassphrase = "lila elefanter dansar tango"

  /// Attached file sizes around the chunk (64 KiB) and batch (1 MiB) boundaries, and an empty file.
  static let attachedSizes = [0, 100, 65_536, 65_537, (1 << 20) + 3, 2_500_000]

  /// A closed vault with entries, an anchor, attachments of several sizes, and what it held.
  struct Fixture {
    let folder: URL
    let recordBytes: [[UInt8]]
    let exhibits: [(label: String, bytes: [UInt8])]
    let anchorCode: String
    let fingerprint: String
    let header: [UInt8]
    let head: [UInt8]
  }

  static func makeFixture() throws -> Fixture {
    let folder = try TestVaults.makeCheap(entries: 2)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let originals = folder.deletingLastPathComponent().appendingPathComponent("originals")
    try FileManager.default.createDirectory(at: originals, withIntermediateDirectories: true)
    var generator = SeededGenerator(state: 10)
    var files: [URL] = []
    var contents: [[UInt8]] = []
    for (number, size) in attachedSizes.enumerated() {
      let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let file = originals.appendingPathComponent("file-\(number).bin")
      try writeBytes(bytes, to: file)
      files.append(file)
      contents.append(bytes)
    }
    let labels = try vault.attach(files, toEntry: 1)
    let code = try vault.anchor().code
    try vault.addEntry(TestVaults.sampleEntry(title: "After the anchor", narrative: "Written after the code."))
    return Fixture(
      folder: folder, recordBytes: vault.records.map(\.bytes), exhibits: Array(zip(labels, contents)),
      anchorCode: code, fingerprint: vault.fingerprint, header: try readBytes(TestVaults.header(folder)),
      head: try readBytes(folder.appendingPathComponent(HeadCheckpoint.fileName)))
  }

  /// Every file under `folder` (path → bytes), the lock file aside.
  static func snapshot(_ folder: URL) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return files }
    while let relative = walker.nextObject() as? String {
      let url = folder.appendingPathComponent(relative)
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue,
        relative != "lock"
      {
        files[relative] = try readBytes(url)
      }
    }
    return files
  }

  /// `snapshot` without `inbox/`, where every wrong passphrase leaves a record of itself, and how many items it holds.
  static func snapshotOutsideInbox(_ folder: URL) throws -> (files: [String: [UInt8]], inboxItems: Int) {
    let files = try snapshot(folder)
    let outside = files.filter { !$0.key.hasPrefix("inbox/") }
    return (outside, files.count - outside.count)
  }

  /// Checks everything a finished change of keys must give: the same records and exhibits, verifying, the
  /// earlier anchor still checking, a new fingerprint, no leftovers, and the old passphrase refused.
  static func expectFinished(_ fixture: Fixture, openedWith passphrase: String, expectNotice: Bool) throws {
    let folder = fixture.folder
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(passphrase))
      let noticed = vault.integrity.notices.contains { $0.hasPrefix("An interrupted change of keys was finished") }
      #expect(noticed == expectNotice, "\(vault.integrity.notices)")
      #expect(vault.integrity.isIntact, "\(vault.integrity.problems.map(\.message))")
      // The records as they were, then those of any wrong passphrase given meanwhile.
      #expect(Array(vault.records.map(\.bytes).prefix(fixture.recordBytes.count)) == fixture.recordBytes)
      #expect(
        vault.records.dropFirst(fixture.recordBytes.count).allSatisfy {
          if case .access = $0.record { true } else { false }
        })
      #expect(vault.fingerprint != fixture.fingerprint)
      let check = try vault.checkExhibits()
      #expect(check.isIntact && check.exhibitCount == fixture.exhibits.count, "\(check.problems)")
      #expect(check.orphanBlobs.isEmpty && check.leftovers.isEmpty, "\(check.orphanBlobs) \(check.leftovers)")
      let out = folder.deletingLastPathComponent().appendingPathComponent("out-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: out) }
      for exhibit in fixture.exhibits {
        let file = out.appendingPathComponent(exhibit.label)
        try vault.extract(exhibit.label, to: file)
        #expect(try readBytes(file) == exhibit.bytes, "exhibit \(exhibit.label)")
      }
      let anchor = try vault.checkAnchor(fixture.anchorCode)
      guard case .matches = anchor else {
        Issue.record("an anchor code made before no longer checks: \(anchor)")
        return
      }
    }
    for leftover in [RekeyPending.fileName, Rekey.newJournal] {
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(leftover).path), "\(leftover)")
    }
    let temporary = try snapshot(folder).keys.filter { $0.contains(DurableFiles.temporaryMarker) }
    #expect(temporary.isEmpty, "\(temporary)")
    #expect(TestVaults.openResult(folder, passphrase: oldPassphrase).failureCode == .wrongPassphrase)
    let again = TestVaults.openResult(folder, passphrase: newPassphrase)
    #expect(again.notices?.isEmpty == true, "a second open finds nothing left to do")
  }

  /// A copy of the rekeyed folder with the old `vault.json` put back (what someone who kept that file and knows
  /// the old passphrase would try) unlocks the old master key, which reads no record and no blob.
  static func expectOldHeaderReadsNothing(_ fixture: Fixture) throws {
    let copy = fixture.folder.deletingLastPathComponent().appendingPathComponent("old-header-copy")
    try? FileManager.default.removeItem(at: copy)
    try FileManager.default.copyItem(at: fixture.folder, to: copy)
    defer { try? FileManager.default.removeItem(at: copy) }
    try writeBytes(fixture.header, to: TestVaults.header(copy))
    let vault = try Vault.open(at: copy, passphrase: TestVaults.passphrase(oldPassphrase))
    #expect(!vault.integrity.isIntact)
    #expect(vault.records.isEmpty, "no record decrypts under the old key")
    let blobs = vault.blobStore.inventory().blobs
    #expect(blobs.count == attachedSizes.count)
    for name in blobs {
      let opens = vault.blobStore.opens(name, key: vault.keys.blobKey)
      #expect(!opens, "blob \(name) still opens under the old key")
    }
  }

  @Test(arguments: [nil] + Rekey.Step.allCases, [false, true])
  func aChangeStoppedAtAnyStepIsFinishedByTheNextOpen(stoppedAfter step: Rekey.Step?, withNewPassphrase: Bool)
    throws
  {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    if let step {
      do {
        _ = try Vault.rekey(
          at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase),
          stoppingAfter: step)
        Issue.record("the change did not stop after step \(step)")
      } catch {
        #expect(error.message == Rekey.stopMessage)
      }
      #expect(FileManager.default.fileExists(atPath: RekeyPending.url(in: fixture.folder).path))
      let pending = try readBytes(RekeyPending.url(in: fixture.folder))
      let (status, output) = try SchemaTests.validate(pending, against: "rekey-pending.schema.json")
      #expect(status == 0, "rekey.pending: \(output)")
    } else {
      let outcome = try Vault.rekey(
        at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase))
      #expect(outcome.records == UInt64(fixture.recordBytes.count))
      #expect(outcome.blobFiles == Self.attachedSizes.count && outcome.unreadableBlobs.isEmpty)
      #expect(outcome.oldFingerprint == fixture.fingerprint && outcome.newFingerprint != fixture.fingerprint)
      #expect(!outcome.finishedInterrupted)
    }
    try Self.expectFinished(
      fixture, openedWith: withNewPassphrase || step == nil ? Self.newPassphrase : Self.oldPassphrase,
      expectNotice: step != nil)
    try Self.expectOldHeaderReadsNothing(fixture)
    let (status, output) = try SchemaTests.validate(
      try readBytes(TestVaults.header(fixture.folder)), against: "vault-header.schema.json")
    #expect(status == 0, "\(output)")
  }

  @Test func aWrongPassphraseChangesNothingBeforeOrDuringAChange() throws {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    let before = try Self.snapshotOutsideInbox(fixture.folder)
    do {
      _ = try Vault.rekey(
        at: fixture.folder, from: TestVaults.passphrase("not it"), to: TestVaults.passphrase(Self.newPassphrase))
      Issue.record("a wrong passphrase changed the keys")
    } catch {
      #expect(error.code == .wrongPassphrase)
    }
    let after = try Self.snapshotOutsideInbox(fixture.folder)
    #expect(after.files == before.files)
    #expect(after.inboxItems == before.inboxItems + 1, "the wrong passphrase is recorded in inbox/")

    #expect(throws: VaultError.self) {
      _ = try Vault.rekey(
        at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase),
        stoppingAfter: .resealedFirstBlob)
    }
    let interrupted = try Self.snapshotOutsideInbox(fixture.folder)
    #expect(TestVaults.openResult(fixture.folder, passphrase: "not it").failureCode == .wrongPassphrase)
    let afterWrong = try Self.snapshotOutsideInbox(fixture.folder)
    #expect(afterWrong.files == interrupted.files, "a wrong passphrase finishes nothing")
    #expect(afterWrong.inboxItems == interrupted.inboxItems + 1)
    try Self.expectFinished(fixture, openedWith: Self.oldPassphrase, expectNotice: true)
    // The one before the change, the one while it was pending (sealed to the new inbox key, so it opens once the
    // change is finished) and the old passphrase refused after it: all taken in, none quarantined.
    let vault = try Vault.open(at: fixture.folder, passphrase: TestVaults.passphrase(Self.newPassphrase))
    #expect(vault.index.accessAttempts.count == 3, "\(vault.integrity.notices)")
    #expect(vault.inboxIntake.quarantined.isEmpty && vault.integrity.notices.isEmpty, "\(vault.integrity.notices)")
    let quarantine = fixture.folder.appendingPathComponent("quarantine")
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: quarantine.path)) ?? []).isEmpty)
  }

  @Test func aVersionOneVaultIsRefusedUntilUpgraded() throws {
    let folder = try TestVaults.makeCheap(entries: 1, version: .v1)
    defer { TestVaults.remove(folder) }
    let before = try Self.snapshot(folder)
    do {
      _ = try Vault.rekey(at: folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase))
      Issue.record("a version 1 vault was rekeyed")
    } catch {
      #expect(error.code == .unsupportedVersion && error.hint?.contains("evidence upgrade") == true)
    }
    #expect(try Self.snapshot(folder) == before)
  }

  @Test func aPassphraseChangeOrAnotherRekeyFinishesAnInterruptedOneFirst() throws {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    #expect(throws: VaultError.self) {
      _ = try Vault.rekey(
        at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase),
        stoppingAfter: .wroteJournal)
    }
    let outcome = try Vault.rekey(
      at: fixture.folder, from: TestVaults.passphrase(Self.newPassphrase), to: TestVaults.passphrase("ignored here"))
    #expect(outcome.finishedInterrupted && outcome.oldFingerprint == fixture.fingerprint)
    try Self.expectFinished(fixture, openedWith: Self.newPassphrase, expectNotice: false)

    let second = try Self.makeFixture()
    defer { TestVaults.remove(second.folder) }
    #expect(throws: VaultError.self) {
      _ = try Vault.rekey(
        at: second.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase),
        stoppingAfter: .resealedFirstBlob)
    }
    try Vault.changePassphrase(
      at: second.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase("a third passphrase"))
    let vault = try Vault.open(at: second.folder, passphrase: TestVaults.passphrase("a third passphrase"))
    #expect(vault.integrity.isIntact && vault.records.map(\.bytes) == second.recordBytes)
    #expect(try vault.checkExhibits().isIntact)
    #expect(!RekeyPending.exists(in: second.folder))
  }

  @Test func aLeftoverOfAnInterruptedBlobIsRemovedAndTheBlobFinished() throws {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    #expect(throws: VaultError.self) {
      _ = try Vault.rekey(
        at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase),
        stoppingAfter: .wroteJournal)
    }
    // What a kill in the middle of re-encrypting a blob leaves: half a new stream beside the old blob.
    let store = BlobStore(folder: fixture.folder.appendingPathComponent("blobs"))
    let name = try #require(store.inventory().blobs.first)
    let partial = store.url(of: name).deletingLastPathComponent()
      .appendingPathComponent(".\(name).rekey.tmp-99999")
    try writeBytes(Array(try readBytes(store.url(of: name)).prefix(100)), to: partial)
    try Self.expectFinished(fixture, openedWith: Self.oldPassphrase, expectNotice: true)
    #expect(!FileManager.default.fileExists(atPath: partial.path))
  }

  @Test func anAlteredOrForeignRecordOfTheChangeFinishesNothing() throws {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    #expect(throws: VaultError.self) {
      _ = try Vault.rekey(
        at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase),
        strength: .interactive, stoppingAfter: .resealedFirstBlob)
    }
    let url = RekeyPending.url(in: fixture.folder)
    let intact = try readBytes(url)
    var pending = try RekeyPending.read(in: fixture.folder)
    #expect(pending.newHeader.kdf.opsLimit == KDFStrength.interactive.opsLimit, "--kdf applies to the new header")

    // The new key's wrap under the old passphrase, altered: the old passphrase opens its header but not the wrap.
    let ciphertext = pending.newKeyUnderOldPassphrase.ciphertext
    pending.newKeyUnderOldPassphrase.ciphertext = (ciphertext.first == "0" ? "1" : "0") + ciphertext.dropFirst()
    try writeBytes(pending.encoded(), to: url)
    let altered = try Self.snapshot(fixture.folder)
    #expect(TestVaults.openResult(fixture.folder, passphrase: Self.oldPassphrase).failureCode == .headerDamaged)
    #expect(try Self.snapshot(fixture.folder) == altered)

    // A record of a change that belongs to another header.
    try writeBytes(intact, to: url)
    var header = try readBytes(TestVaults.header(fixture.folder))
    let other = try VaultHeader.decode(header, path: "")
    var changed = other
    changed.createdAt = "2020-01-01T00:00:00Z"
    header = changed.encoded()
    try writeBytes(header, to: TestVaults.header(fixture.folder))
    let foreign = try Self.snapshot(fixture.folder)
    #expect(TestVaults.openResult(fixture.folder, passphrase: Self.oldPassphrase).failureCode == .headerDamaged)
    #expect(try Self.snapshot(fixture.folder) == foreign)

    // Put back, it finishes.
    try writeBytes(other.encoded(), to: TestVaults.header(fixture.folder))
    try Self.expectFinished(fixture, openedWith: Self.oldPassphrase, expectNotice: true)
  }

  @Test func aFileAttachedBeforeTheChangeAndAgainAfterIsStoredOnce() throws {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    _ = try Vault.rekey(
      at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase))
    let vault = try Vault.open(at: fixture.folder, passphrase: TestVaults.passphrase(Self.newPassphrase))
    let blobsBefore = vault.blobStore.inventory().blobs
    let again = fixture.folder.deletingLastPathComponent().appendingPathComponent("again.bin")
    let bytes = try #require(fixture.exhibits.last).bytes
    try writeBytes(bytes, to: again)
    let fresh = fixture.folder.deletingLastPathComponent().appendingPathComponent("fresh.bin")
    try writeBytes(Array("new after the change".utf8), to: fresh)
    let labels = try vault.attach([again, fresh], toEntry: 2)
    let blobsAfter = vault.blobStore.inventory().blobs
    #expect(blobsAfter.count == blobsBefore.count + 1, "only the new file is stored")
    let last = try #require(fixture.exhibits.last).label
    #expect(try vault.index.exhibit(labels[0]).current.blob == vault.index.exhibit(last).current.blob)
    let check = try vault.checkExhibits()
    #expect(check.isIntact && check.orphanBlobs.isEmpty, "\(check.problems) \(check.orphanBlobs)")
  }

  @Test func aBlobDamagedBeforeTheChangeIsLeftAsItWasAndTheRestIsRekeyed() throws {
    let fixture = try Self.makeFixture()
    defer { TestVaults.remove(fixture.folder) }
    let store = BlobStore(folder: fixture.folder.appendingPathComponent("blobs"))
    let sizes = try store.inventory().blobs.map { (name: $0, size: try readBytes(store.url(of: $0)).count) }
    let largest = try #require(sizes.max { $0.size < $1.size }).name
    var bytes = try readBytes(store.url(of: largest))
    bytes[bytes.count / 2] ^= 0x01
    try writeBytes(bytes, to: store.url(of: largest))
    let outcome = try Vault.rekey(
      at: fixture.folder, from: TestVaults.passphrase(), to: TestVaults.passphrase(Self.newPassphrase))
    #expect(outcome.unreadableBlobs == [largest])
    #expect(outcome.blobFiles == Self.attachedSizes.count - 1)
    #expect(try readBytes(store.url(of: largest)) == bytes, "the damaged blob is left exactly as it was")
    let vault = try Vault.open(at: fixture.folder, passphrase: TestVaults.passphrase(Self.newPassphrase))
    #expect(vault.integrity.isIntact)
    let check = try vault.checkExhibits()
    #expect(check.problems.count == 1 && check.exhibitCount == Self.attachedSizes.count, "\(check.problems)")
  }
}

extension Result where Success == IntegrityReport {
  var notices: [String]? { try? get().notices }
}
