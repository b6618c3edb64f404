import Foundation
import Testing

@testable import EvidenceVault

/// An import does not keep the records it appends in memory; they are read back from the journal when asked for.
@Suite struct ImportMemoryTests {
  static func message(_ number: Int) -> Message {
    Message(
      channel: .sms, direction: .received, from: .init(address: "+4670123\(number % 10)"),
      sentAt: Date(timeIntervalSince1970: 1_795_958_520 + Double(number) * 60), text: "Meddelande \(number) 😠",
      provenance: .init(position: "<sms> \(number)"))
  }

  static func export(in folder: URL) throws -> URL {
    let url = folder.deletingLastPathComponent().appendingPathComponent("sms.xml")
    try Data("<smses/>".utf8).write(to: url)
    return url
  }

  /// 300 messages stay in memory until the commit writes them; 12,000 are written 4 MiB at a time.
  @Test(arguments: [300, 12_000])
  func recordsAnImportAppendedAreReadBackWhenAskedFor(count: Int) throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let written = try Self.importAndAppend(count, into: folder)
    #expect(written.count == count + 3)
    let reopened = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(reopened.integrity.isIntact)
    #expect(reopened.records.map(\.bytes) == written)
  }

  /// Imports `count` messages between two entries; returns the records' bytes as the vault holds them after.
  private static func importAndAppend(_ count: Int, into folder: URL) throws -> [[UInt8]] {
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    try vault.addEntry(TestVaults.sampleEntry())
    let summary = try vault.importMessages(from: try export(in: folder)) { session in
      for number in 1...count { try session.add(message(number), attachments: []) }
      try session.add(message(1), attachments: [])  // already there: skipped
    }
    #expect(summary.added == count && summary.alreadyInVault == 1)
    // The entry, the export file's exhibit and the messages, chained as written.
    #expect(vault.records.count == count + 2)
    #expect(vault.records.map(\.sequence) == Array(1...UInt64(count + 2)))
    #expect(vault.records.last?.chain == vault.integrity.head.hash)
    #expect(vault.integrity.isIntact)
    #expect(vault.index.messages.map(\.text) == (1...count).map { message($0).text })
    // Appending after the import keeps the order.
    try vault.addEntry(TestVaults.sampleEntry(title: "After"))
    #expect(vault.index.entries.count == 2)
    return vault.records.map(\.bytes)
  }

  @Test func aFailedImportLeavesTheRecordsAsTheyWere() throws {
    struct Stop: Error {}
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    _ = try vault.importMessages(from: try Self.export(in: folder)) { session in
      for number in 1...5 { try session.add(Self.message(number), attachments: []) }
    }
    let head = vault.integrity.head
    let journalSize = try FileManager.default.attributesOfItem(atPath: TestVaults.journal(folder).path)[.size] as? Int
    #expect(throws: Stop.self) {
      try vault.importMessages(from: try Self.export(in: folder)) { session in
        for number in 6...12_000 { try session.add(Self.message(number), attachments: []) }
        throw Stop()
      }
    }
    #expect(vault.integrity.head == head)
    #expect(
      try FileManager.default.attributesOfItem(atPath: TestVaults.journal(folder).path)[.size] as? Int == journalSize)
    #expect(vault.records.count == 6)
    #expect(vault.index.messages.count == 5)
    #expect(vault.integrity.isIntact)
  }

  @Test func recordsNotWrittenYetAreReadBackFromMemory() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    let savepoint = vault.savepoint()
    for number in 1...3 {
      var message = Self.message(number)
      message.stamp = vault.stamp()
      try vault.append([.message(message)], durably: false, keepingInMemory: false)
    }
    #expect(vault.records.map(\.sequence) == [1, 2, 3])
    #expect(vault.integrity.isIntact)
    try vault.rollback(to: savepoint)
    #expect(vault.records.isEmpty && vault.integrity.head.sequence == 0)
  }

  /// Pictures of 40 KiB, 17 distinct (the rest repeat one), as an MMS export gives them.
  static func picture(_ number: Int) -> AttachmentSource {
    var bytes = [UInt8](repeating: 0, count: 40_000)
    bytes.replaceSubrange(0..<4, with: [0xFF, 0xD8, 0xFF, 0xE0])
    bytes[10] = UInt8(number % 17)
    return .bytes(bytes, name: "IMG_\(number).jpg", modifiedAt: nil)
  }

  @Test func picturesStoredWhileTheImportGoesOnAreDurableAndIntactAtTheEnd() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    let summary = try vault.importMessages(from: try Self.export(in: folder)) { session in
      for number in 1...60 { try session.add(Self.message(number), attachments: [Self.picture(number)]) }
    }
    #expect(summary.added == 60 && summary.attachments == 60)
    let check = try vault.checkExhibits()
    #expect(check.exhibitCount == 61 && check.isIntact)
    #expect(check.orphanBlobs.isEmpty && check.leftovers.isEmpty)
    #expect(vault.blobStore.inventory().blobs.count == 18)  // the export file and 17 pictures
  }

  @Test func aFailedImportRemovesThePicturesStoredForIt() throws {
    struct Stop: Error {}
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    _ = try vault.importMessages(from: try Self.export(in: folder)) { session in
      try session.add(Self.message(1), attachments: [Self.picture(1)])
    }
    #expect(throws: Stop.self) {
      try vault.importMessages(from: try Self.export(in: folder)) { session in
        for number in 2...40 { try session.add(Self.message(number), attachments: [Self.picture(number)]) }
        throw Stop()
      }
    }
    // The picture the first import stored (and the second one named again) stays; the others are gone.
    #expect(vault.blobStore.inventory().blobs.count == 2)
    #expect(try vault.checkExhibits().isIntact)
    #expect(vault.index.messages.count == 1)
  }
}
