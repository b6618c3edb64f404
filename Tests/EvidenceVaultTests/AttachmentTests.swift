import Foundation
import Testing

@testable import EvidenceVault

@Suite struct AttachmentTests {
  static func file(_ bytes: [UInt8], named name: String = "file.bin", in folder: URL) throws -> URL {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
  }

  static func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
  }

  /// A vault with one entry, and a folder for originals beside it.
  static func setUp() throws -> (vault: Vault, folder: URL, originals: URL) {
    let folder = try TestVaults.makeCheap(entries: 1)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    return (vault, folder, folder.deletingLastPathComponent().appendingPathComponent("originals"))
  }

  static func blobURL(_ vault: Vault, _ label: String) throws -> URL {
    vault.blobStore.url(of: try vault.index.exhibit(label).current.blob)
  }

  @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 2 * 65_536, 3 * 1_048_576 + 17])
  func filesComeBackByteForByte(size: Int) throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    let bytes = Self.randomBytes(size)
    let source = try Self.file(bytes, in: originals)
    let labels = try vault.attach([source], toEntry: 1)
    #expect(labels == ["A1"])
    let record = try vault.index.exhibit("A1").current
    #expect(record.size == Int64(size))
    #expect(record.sha256 == Hex.encode(SHA256.hash(bytes)))
    #expect(record.originalName == "file.bin")
    // header, then 17 bytes of overhead on each chunk; a file of whole chunks ends with a full final chunk
    let chunks = size == 0 ? 1 : (size + 65_535) / 65_536
    let expectedBlobSize = 24 + size + 17 * chunks
    let blobSize = try FileManager.default.attributesOfItem(atPath: try Self.blobURL(vault, "A1").path)[.size] as? Int
    #expect(blobSize == expectedBlobSize)
    let copy = originals.appendingPathComponent("copy.bin")
    try vault.extract("A1", to: copy)
    #expect(try readBytes(copy) == bytes)
    #expect(try vault.checkExhibits().isIntact)
  }

  @Test func theSameFileTwiceIsStoredOnceButRecordedTwice() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    let source = try Self.file(Self.randomBytes(100_000), in: originals)
    try vault.attach([source], toEntry: 1)
    try vault.attach([source], toEntry: nil)
    #expect(vault.index.exhibits.count == 2)
    #expect(vault.index.exhibits[0].current.blob == vault.index.exhibits[1].current.blob)
    #expect(vault.blobStore.inventory().blobs.count == 1)
    #expect(vault.index.looseExhibits.map(\.label) == ["A2"])
  }

  @Test func aLooseExhibitIsTiedLaterAndKeepsItsLabel() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    try vault.attach([try Self.file([1, 2, 3], in: originals)], toEntry: nil)
    #expect(vault.index.exhibits(forEntry: 1).isEmpty)
    try vault.tieExhibit("a1", toEntry: 1)
    #expect(vault.index.exhibits(forEntry: 1).map(\.label) == ["A1"])
    #expect(vault.index.exhibits[0].versions.count == 2)
    #expect(throws: VaultError.self) { try vault.tieExhibit("A1", toEntry: 1) }
    #expect(throws: VaultError.self) { try vault.tieExhibit("A9", toEntry: 1) }
    let decodedAgain = JournalIndex(records: vault.records)
    #expect(decodedAgain.exhibits(forEntry: 1).map(\.label) == ["A1"])
  }

  @Test func anEntryIsSavedWithItsExhibitsInOneStep() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    let files = [try Self.file([1], named: "a.bin", in: originals), try Self.file([2], named: "b.bin", in: originals)]
    let saved = try vault.addEntry(TestVaults.sampleEntry(title: "With photos"), attaching: files)
    #expect(saved.number == 2 && saved.exhibits == ["A1", "A2"])
    let entry = try vault.index.entry(number: 2).current
    #expect(entry.attachments == vault.index.exhibits.map(\.current.stamp.id))
    #expect(vault.index.exhibits(forEntry: 2).map(\.current.originalName) == ["a.bin", "b.bin"])
    #expect(vault.clockNotices.isEmpty)
  }

  // MARK: - Tampering

  /// A vault with two multi-chunk exhibits (2 × 64 KiB + 100 bytes each: chunks of 65553, 65553 and 117 bytes).
  static func tamperSetUp() throws -> (Vault, URL, URL) {
    let (vault, folder, originals) = try setUp()
    try vault.attach(
      [
        try file(randomBytes(2 * 65_536 + 100), named: "one.jpg", in: originals),
        try file(randomBytes(2 * 65_536 + 100), named: "two.jpg", in: originals),
      ], toEntry: 1)
    return (vault, folder, originals)
  }

  static func expectDetected(_ vault: Vault, _ label: String, _ words: String, originals: URL) throws {
    let check = try vault.checkExhibits()
    #expect(check.problems.count == 1)
    #expect(check.problems.first?.contains("Exhibit \(label)") == true, "\(check.problems)")
    #expect(check.problems.first?.contains(words) == true, "\(check.problems)")
    let out = originals.appendingPathComponent("out-\(UUID().uuidString)")
    do {
      try vault.extract(label, to: out)
      Issue.record("extract of a damaged exhibit succeeded")
    } catch {
      #expect(error.code == .vaultDamaged)
      #expect(error.message.contains(words))
    }
    #expect(!FileManager.default.fileExists(atPath: out.path), "a partial plaintext was left behind")
  }

  @Test(arguments: [24, 24 + 65_553 + 10, 24 + 2 * 65_553 + 5, 24 + 2 * 65_553 + 116])
  func aFlippedByteAnywhereIsDetected(offset: Int) throws {
    let (vault, folder, originals) = try Self.tamperSetUp()
    defer { TestVaults.remove(folder) }
    let url = try Self.blobURL(vault, "A1")
    var bytes = try readBytes(url)
    bytes[offset] ^= 0x01
    try writeBytes(bytes, to: url)
    try Self.expectDetected(vault, "A1", "altered", originals: originals)
  }

  @Test func aFlippedHeaderByteIsDetected() throws {
    let (vault, folder, originals) = try Self.tamperSetUp()
    defer { TestVaults.remove(folder) }
    let url = try Self.blobURL(vault, "A2")
    var bytes = try readBytes(url)
    bytes[3] ^= 0x80
    try writeBytes(bytes, to: url)
    try Self.expectDetected(vault, "A2", "altered", originals: originals)
  }

  @Test(arguments: [24 + 2 * 65_553 + 50, 24 + 2 * 65_553, 24 + 65_553, 24 + 100, 10, 0])
  func aCutOffBlobIsTruncated(length: Int) throws {
    let (vault, folder, originals) = try Self.tamperSetUp()
    defer { TestVaults.remove(folder) }
    let url = try Self.blobURL(vault, "A1")
    try writeBytes(Array(try readBytes(url).prefix(length)), to: url)
    try Self.expectDetected(vault, "A1", "truncated", originals: originals)
  }

  @Test func bytesAfterTheFinalChunkAreDetected() throws {
    let (vault, folder, originals) = try Self.tamperSetUp()
    defer { TestVaults.remove(folder) }
    let url = try Self.blobURL(vault, "A1")
    try writeBytes(try readBytes(url) + [0], to: url)
    try Self.expectDetected(vault, "A1", "altered", originals: originals)
  }

  @Test func swappedBlobsAreNamedAsSwapped() throws {
    let (vault, folder, originals) = try Self.tamperSetUp()
    defer { TestVaults.remove(folder) }
    let one = try Self.blobURL(vault, "A1")
    let two = try Self.blobURL(vault, "A2")
    let bytesOne = try readBytes(one)
    try writeBytes(try readBytes(two), to: one)
    try writeBytes(bytesOne, to: two)
    let check = try vault.checkExhibits()
    #expect(check.problems.count == 2)
    #expect(check.problems.contains { $0.contains("Exhibit A1") && $0.contains("swapped") && $0.contains("A2") })
    #expect(check.problems.contains { $0.contains("Exhibit A2") && $0.contains("swapped") && $0.contains("A1") })
    #expect(throws: VaultError.self) { try vault.extract("A1", to: originals.appendingPathComponent("x")) }
    #expect(!FileManager.default.fileExists(atPath: originals.appendingPathComponent("x").path))
  }

  @Test func aDeletedBlobIsMissing() throws {
    let (vault, folder, originals) = try Self.tamperSetUp()
    defer { TestVaults.remove(folder) }
    try FileManager.default.removeItem(at: try Self.blobURL(vault, "A2"))
    try Self.expectDetected(vault, "A2", "missing", originals: originals)
  }

  // MARK: - Bad input

  @Test func missingFilesFoldersAndFIFOsAreRefusedAndNothingIsLeft() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    try FileManager.default.createDirectory(at: originals, withIntermediateDirectories: true)
    let fifo = originals.appendingPathComponent("pipe")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let good = try Self.file([1, 2, 3], named: "good.bin", in: originals)
    let journal = try readBytes(TestVaults.journal(folder))
    for bad in [originals.appendingPathComponent("nope.jpg"), originals, fifo] {
      do {
        try vault.attach([good, bad], toEntry: 1)
        Issue.record("\(bad.lastPathComponent) was accepted")
      } catch {
        #expect(error.code == .invalidInput, "\(error)")
      }
      #expect(vault.blobStore.inventory().blobs.isEmpty, "the good file's blob stayed behind")
      #expect(vault.blobStore.inventory().leftovers.isEmpty)
      #expect(try readBytes(TestVaults.journal(folder)) == journal)
    }
  }

  @Test func aFileThatChangesWhileBeingReadIsRefused() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    let source = try Self.file(Self.randomBytes(5 * 65_536), in: originals)
    let handle = try FileHandle(forWritingTo: source)
    defer { try? handle.close() }
    var appended = false
    do {
      try vault.attach([source], toEntry: 1) { done, _ in
        // Another program appends to the file while it is being encrypted.
        if done >= 65_536 && !appended {
          appended = true
          handle.seekToEndOfFile()
          handle.write(Data([1, 2, 3]))
        }
      }
      Issue.record("a changing file was attached")
    } catch {
      #expect(error.code == .invalidInput)
      #expect(error.message.contains("changed while it was being read"))
    }
    #expect(appended)
    #expect(vault.index.exhibits.isEmpty)
    #expect(vault.blobStore.inventory().blobs.isEmpty && vault.blobStore.inventory().leftovers.isEmpty)
  }

  // MARK: - Orphans and repair

  @Test func anOrphanBlobIsReportedThenKeptAsALooseExhibit() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    let bytes = Self.randomBytes(70_000)
    let source = try Self.file(bytes, named: "only-copy.bin", in: originals)
    // A crash after the blob was stored and before its record: the blob exists, no record names it.
    let stored = try vault.blobStore.store(
      fileAt: source, key: vault.keys.blobKey, nameKey: vault.keys.blobNameKey, progress: { _, _ in })
    let leftover = vault.blobStore.folder.appendingPathComponent(".incoming-abc.tmp-1")
    try writeBytes([1, 2, 3], to: leftover)
    let check = try vault.checkExhibits()
    #expect(check.isIntact)
    #expect(check.orphanBlobs == [stored.name])
    #expect(check.leftovers == [leftover.path])
    let summary = try vault.repair()
    #expect(summary.recovered == ["A1"])
    #expect(summary.quarantined == ["blobs/.incoming-abc.tmp-1"])
    let recovered = try vault.index.exhibit("A1").current
    #expect(recovered.sha256 == Hex.encode(SHA256.hash(bytes)) && recovered.size == 70_000 && recovered.entry == nil)
    let copy = originals.appendingPathComponent("copy")
    try vault.extract("A1", to: copy)
    #expect(try readBytes(copy) == bytes)
    let after = try vault.checkExhibits()
    #expect(after.orphanBlobs.isEmpty && after.leftovers.isEmpty && after.isIntact)
    let quarantined = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("quarantine").path)
    #expect(quarantined.count == 1)
  }

  @Test func anUnreadableOrphanIsMovedToQuarantineNotDeleted() throws {
    let (vault, folder, originals) = try Self.setUp()
    defer { TestVaults.remove(folder) }
    let stored = try vault.blobStore.store(
      fileAt: try Self.file(Self.randomBytes(1000), in: originals), key: vault.keys.blobKey,
      nameKey: vault.keys.blobNameKey, progress: { _, _ in })
    let url = vault.blobStore.url(of: stored.name)
    var bytes = try readBytes(url)
    bytes[40] ^= 1
    try writeBytes(bytes, to: url)
    let summary = try vault.repair()
    #expect(summary.recovered.isEmpty)
    #expect(summary.quarantined.count == 1)
    #expect(!FileManager.default.fileExists(atPath: url.path))
    let quarantine = folder.appendingPathComponent("quarantine")
    let kept = try FileManager.default.contentsOfDirectory(atPath: quarantine.path)
    #expect(kept.count == 1)
    #expect(try readBytes(quarantine.appendingPathComponent(kept[0])) == bytes)
  }

  @Test func fastSHA256AgreesWithLibsodiumAndTheVectors() throws {
    for size in [0, 1, 55, 56, 64, 65_536, 1_000_003] {
      let bytes = Self.randomBytes(size)
      let hasher = FastSHA256()
      bytes.withUnsafeBytes { hasher.update($0) }
      #expect(hasher.finish() == SHA256.hash(bytes))
    }
    for vector in try CryptoVectorTests.load("sha256") {
      let hasher = FastSHA256()
      try CryptoVectorTests.hex(vector, "message").withUnsafeBytes { hasher.update($0) }
      #expect(hasher.finish() == (try CryptoVectorTests.hex(vector, "digest")))
    }
  }
}
