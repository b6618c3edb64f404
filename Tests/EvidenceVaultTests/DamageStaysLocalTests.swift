import Foundation
import Testing

@testable import EvidenceVault

/// Format version 2: damage to one frame of the journal costs that record only; version 1 vaults still open and
/// upgrade without changing a leaf.
@Suite("Damage stays local (format version 2) and the upgrade from version 1")
struct DamageStaysLocalTests {
  /// A closed vault of `count` entries and what it held: each record's bytes and chain value, and the head.
  struct Made {
    let folder: URL
    let records: [StoredRecord]
    let head: ChainHead
  }

  static func make(entries count: Int, version: JournalFormat.Version = .v2) throws -> Made {
    let folder = try TestVaults.makeCheap(entries: count, version: version)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    return Made(folder: folder, records: vault.records, head: vault.integrity.head)
  }

  /// Opens the vault after `change` was made to its journal's bytes.
  static func openAfter(_ made: Made, _ change: (inout [UInt8], [Range<Int>]) -> Void) throws -> Vault {
    var bytes = try readBytes(TestVaults.journal(made.folder))
    change(&bytes, TestVaults.frames(bytes))
    try writeBytes(bytes, to: TestVaults.journal(made.folder))
    return try Vault.open(at: made.folder, passphrase: TestVaults.passphrase())
  }

  /// The records of `vault` match `made`'s at these sequence numbers, byte for byte and chain value for chain value.
  static func expectSame(
    _ vault: Vault, _ made: Made, sequences: [UInt64], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(vault.records.map(\.sequence) == sequences, sourceLocation: sourceLocation)
    for stored in vault.records {
      let original = made.records[Int(stored.sequence) - 1]
      #expect(stored.bytes == original.bytes && stored.chain == original.chain, sourceLocation: sourceLocation)
    }
  }

  @Test("A new vault is version 2: the header says so and the journal starts with its magic")
  func newVaultsAreVersionTwo() throws {
    let made = try Self.make(entries: 1)
    defer { TestVaults.remove(made.folder) }
    let header = String(decoding: try readBytes(TestVaults.header(made.folder)), as: UTF8.self)
    #expect(header.contains("\"version\" : 2"))
    #expect(try readBytes(TestVaults.journal(made.folder)).starts(with: JournalFormat.magicV2))
  }

  @Test(
    "A flipped byte anywhere in record 3 of 6 costs record 3 only; the chain goes on past it",
    arguments: [0, 5, 11, 40, 200, -1])
  func aFlippedByteCostsOneRecord(position: Int) throws {
    let made = try Self.make(entries: 6)
    defer { TestVaults.remove(made.folder) }
    let vault = try Self.openAfter(made) { bytes, frames in
      let frame = frames[2]
      bytes[position >= 0 ? frame.lowerBound + position : frame.upperBound - 1] ^= 0x20
    }
    #expect(!vault.integrity.isIntact)
    Self.expectSame(vault, made, sequences: [1, 2, 4, 5, 6])
    #expect(vault.integrity.problems.contains { $0.kind == .recordsDamaged(first: 3, last: 3) })
    #expect(vault.integrity.problems.allSatisfy { !$0.message.contains("nothing from record") })
    #expect(vault.integrity.head == made.head, "the head is the same: the chain went on past the damage")
    // What is listed: five of the six entries, in order.
    #expect(vault.index.entries.map(\.current.title) == ["Entry 1", "Entry 2", "Entry 4", "Entry 5", "Entry 6"])
  }

  @Test("A damaged length field is stepped over by scanning for the next frame that authenticates")
  func aDamagedLengthIsScannedPast() throws {
    let made = try Self.make(entries: 5)
    defer { TestVaults.remove(made.folder) }
    for damage: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x01, 0x50], [0x00, 0x00, 0x00, 0x00]] {
      let original = try readBytes(TestVaults.journal(made.folder))
      let vault = try Self.openAfter(made) { bytes, frames in
        bytes.replaceSubrange(frames[1].lowerBound..<(frames[1].lowerBound + 4), with: damage)
      }
      Self.expectSame(vault, made, sequences: [1, 3, 4, 5])
      #expect(vault.integrity.problems.contains { $0.kind == .recordsDamaged(first: 2, last: 2) }, "\(damage)")
      try writeBytes(original, to: TestVaults.journal(made.folder))
    }
  }

  @Test("A missing frame is named, and everything after it still reads")
  func aMissingFrameIsNamed() throws {
    let made = try Self.make(entries: 5)
    defer { TestVaults.remove(made.folder) }
    let vault = try Self.openAfter(made) { bytes, frames in
      bytes.removeSubrange(frames[1].lowerBound..<frames[2].upperBound)
    }
    Self.expectSame(vault, made, sequences: [1, 4, 5])
    #expect(vault.integrity.problems.contains { $0.kind == .recordsDamaged(first: 2, last: 3) })
    #expect(vault.integrity.problems.contains { $0.message.contains("Records 2–3") })
  }

  @Test("A frame copied a second time is named and skipped; bytes inserted between frames lose nothing")
  func copiedFramesAndInsertedBytes() throws {
    let made = try Self.make(entries: 3)
    defer { TestVaults.remove(made.folder) }
    let original = try readBytes(TestVaults.journal(made.folder))
    do {
      let vault = try Self.openAfter(made) { bytes, frames in
        bytes.insert(contentsOf: bytes[frames[0]], at: frames[1].lowerBound)
      }
      Self.expectSame(vault, made, sequences: [1, 2, 3])
      #expect(vault.integrity.problems.map(\.kind) == [.recordDuplicated(sequence: 1)])
    }
    try writeBytes(original, to: TestVaults.journal(made.folder))
    let vault = try Self.openAfter(made) { bytes, frames in
      bytes.insert(contentsOf: [UInt8](repeating: 0x41, count: 1000), at: frames[2].lowerBound)
    }
    Self.expectSame(vault, made, sequences: [1, 2, 3])
    #expect(
      vault.integrity.problems.map(\.kind) == [.bytesNotARecord(offset: TestVaults.frames(original)[2].lowerBound)])
  }

  @Test("Swapped frames authenticate but break the chain, which is named")
  func swappedFramesBreakTheChain() throws {
    let made = try Self.make(entries: 3)
    defer { TestVaults.remove(made.folder) }
    let vault = try Self.openAfter(made) { bytes, frames in
      let first = Array(bytes[frames[0]])
      let second = Array(bytes[frames[1]])
      bytes.replaceSubrange(frames[0].lowerBound..<frames[1].upperBound, with: second + first)
    }
    #expect(!vault.integrity.isIntact)
    #expect(
      vault.integrity.problems.contains {
        $0.kind == .recordDuplicated(sequence: 1) || $0.kind == .recordsDamaged(first: 1, last: 1)
      })
  }

  @Test("Damage in the last frame, or to the magic, costs no other record")
  func damageAtTheEnds() throws {
    let made = try Self.make(entries: 3)
    defer { TestVaults.remove(made.folder) }
    let original = try readBytes(TestVaults.journal(made.folder))
    do {
      let vault = try Self.openAfter(made) { bytes, frames in bytes[frames[2].lowerBound + 100] ^= 1 }
      Self.expectSame(vault, made, sequences: [1, 2])
      #expect(vault.integrity.problems.contains { $0.kind == .recordsDamaged(first: 3, last: nil) })
    }
    try writeBytes(original, to: TestVaults.journal(made.folder))
    let vault = try Self.openAfter(made) { bytes, _ in bytes[2] ^= 0xFF }
    Self.expectSame(vault, made, sequences: [1, 2, 3])
    #expect(vault.integrity.problems.map(\.kind) == [.journalVersionMismatch])
  }

  @Test("An unfinished append at the end of a version 2 journal is still cut off into quarantine")
  func aTornAppendIsRepaired() throws {
    let made = try Self.make(entries: 2)
    defer { TestVaults.remove(made.folder) }
    let vault = try Self.openAfter(made) { bytes, frames in
      // The start of a third frame, as a crash during its write leaves it.
      bytes += Array(bytes[frames[1]].prefix(200))
    }
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(vault.integrity.notices.contains { $0.contains("unfinished save") })
    try vault.addEntry(TestVaults.sampleEntry(title: "After the repair"))
    #expect(vault.records.count == 3)
  }

  // MARK: - Version 1 and the upgrade

  @Test("A version 1 vault still opens, and grows in version 1 until it is upgraded")
  func versionOneStillOpens() throws {
    let made = try Self.make(entries: 2, version: .v1)
    defer { TestVaults.remove(made.folder) }
    let vault = try Vault.open(at: made.folder, passphrase: TestVaults.passphrase())
    #expect(vault.journalVersion == 1 && vault.integrity.isIntact)
    try vault.addEntry(TestVaults.sampleEntry(title: "Third"))
    #expect(!(try readBytes(TestVaults.journal(made.folder))).starts(with: JournalFormat.magicV2))
  }

  @Test(
    "The upgrade keeps every record's bytes, leaf and chain value, the signed head and anchors; damage is then local")
  func theUpgradeKeepsTheChain() throws {
    let folder = try TestVaults.makeCheap(entries: 4, version: .v1)
    defer { TestVaults.remove(folder) }
    var code = ""
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      code = try vault.anchor().code
    }
    let before = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let records = before.records
    let head = before.integrity.head
    let signedHead = try readBytes(folder.appendingPathComponent("head.json"))
    _ = consume before

    let outcome = try Vault.upgrade(at: folder, passphrase: TestVaults.passphrase())
    #expect(outcome == .upgraded(records: 5, head: head.hashHex))
    #expect(try readBytes(TestVaults.journal(folder)).starts(with: JournalFormat.magicV2))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "blobs", "head.json", "inbox", "journal.log", "lock", "vault.json",
      ])
    #expect(try readBytes(folder.appendingPathComponent("head.json")) == signedHead)

    let after = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(after.journalVersion == 2 && after.integrity.isIntact)
    #expect(after.records.map(\.bytes) == records.map(\.bytes))
    #expect(after.records.map(\.leaf) == records.map(\.leaf))
    #expect(after.integrity.head == head)
    #expect(
      try after.checkAnchor(code) == .matches(sequence: 4, madeAt: after.index.anchors.first?.anchor.stamp.recordedAt))
    try after.addEntry(TestVaults.sampleEntry(title: "Written after the upgrade"))
    _ = consume after
    #expect(try Vault.upgrade(at: folder, passphrase: TestVaults.passphrase()) == .alreadyCurrent)

    // Damage is now local.
    var bytes = try readBytes(TestVaults.journal(folder))
    let frames = TestVaults.frames(bytes)
    bytes[frames[1].lowerBound + 60] ^= 1
    try writeBytes(bytes, to: TestVaults.journal(folder))
    let damaged = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(damaged.records.map(\.sequence) == [1, 3, 4, 5, 6])
  }

  @Test("A wrong passphrase or a damaged vault is not upgraded, and nothing changes")
  func refusedUpgradesChangeNothing() throws {
    let folder = try TestVaults.makeCheap(entries: 3, version: .v1)
    defer { TestVaults.remove(folder) }
    let original = try readBytes(TestVaults.journal(folder))
    #expect(throws: VaultError.self) { try Vault.upgrade(at: folder, passphrase: TestVaults.passphrase("wrong")) }
    var damaged = original
    damaged[damaged.count - 30] ^= 1
    try writeBytes(damaged, to: TestVaults.journal(folder))
    let header = try readBytes(TestVaults.header(folder))
    do {
      _ = try Vault.upgrade(at: folder, passphrase: TestVaults.passphrase())
      Issue.record("a damaged vault was upgraded")
    } catch {
      #expect(error.code == .vaultDamaged)
    }
    #expect(try readBytes(TestVaults.journal(folder)) == damaged)
    #expect(try readBytes(TestVaults.header(folder)) == header)
  }

  @Test(
    "An upgrade stopped after any step leaves the old vault or the new one, and the next open tidies up",
    arguments: Upgrade.Step.allCases)
  func anInterruptedUpgradeIsSafe(step: Upgrade.Step) throws {
    let folder = try TestVaults.makeCheap(entries: 3, version: .v1)
    defer { TestVaults.remove(folder) }
    let before = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let records = before.records
    _ = consume before
    do {
      _ = try Vault.upgrade(at: folder, passphrase: TestVaults.passphrase(), stoppingAfter: step)
      Issue.record("the upgrade did not stop")
    } catch {
      #expect(error.message == Upgrade.stopMessage)
    }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(vault.records.map(\.bytes) == records.map(\.bytes))
    #expect(vault.journalVersion == (step >= .replacedJournal ? 2 : 1))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!names.contains(Upgrade.partialJournal) && !names.contains(Upgrade.oldJournal), "\(names)")
    try vault.addEntry(TestVaults.sampleEntry(title: "Fourth"))
  }

  @Test("The journal is read through a window, so offsets past 2 GiB read like any other")
  func offsetsPastTwoGibibytes() throws {
    let folder = TestVaults.folder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { TestVaults.remove(folder) }
    let path = folder.appendingPathComponent("sparse").path
    let far = 3 << 30
    let descriptor = open(path, O_WRONLY | O_CREAT, 0o600)
    #expect(descriptor >= 0)
    let marker: [UInt8] = Array("after three gibibytes".utf8)
    _ = marker.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(far)) }
    close(descriptor)
    var source = try JournalFileWindow(path: path)
    defer { source.close() }
    #expect(source.endOffset == far + marker.count)
    let read = try source.withBytes(in: far..<(far + marker.count)) { Array($0) }
    #expect(read == marker)
  }
}
