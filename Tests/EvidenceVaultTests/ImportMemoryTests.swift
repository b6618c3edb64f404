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

  @Test func recordsAnImportAppendedAreReadBackWhenAskedFor() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let written = try Self.importAndAppend(into: folder)
    #expect(written.count == 303)
    let reopened = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(reopened.integrity.isIntact)
    #expect(reopened.records.map(\.bytes) == written)
  }

  /// Imports 300 messages between two entries; returns the records' bytes as the vault holds them after.
  private static func importAndAppend(into folder: URL) throws -> [[UInt8]] {
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    try vault.addEntry(TestVaults.sampleEntry())
    let summary = try vault.importMessages(from: try export(in: folder)) { session in
      for number in 1...300 { try session.add(message(number), attachments: []) }
      try session.add(message(1), attachments: [])  // already there: skipped
    }
    #expect(summary.added == 300 && summary.alreadyInVault == 1)
    // The entry, the export file's exhibit and 300 messages, chained as written.
    #expect(vault.records.count == 302)
    #expect(vault.records.map(\.sequence) == Array(1...302))
    #expect(vault.records.last?.chain == vault.integrity.head.hash)
    #expect(vault.integrity.isIntact)
    #expect(vault.index.messages.map(\.text) == (1...300).map { message($0).text })
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
    #expect(throws: Stop.self) {
      try vault.importMessages(from: try Self.export(in: folder)) { session in
        for number in 6...50 { try session.add(Self.message(number), attachments: []) }
        throw Stop()
      }
    }
    #expect(vault.integrity.head == head)
    #expect(vault.records.count == 6)
    #expect(vault.index.messages.count == 5)
    #expect(vault.integrity.isIntact)
  }
}
