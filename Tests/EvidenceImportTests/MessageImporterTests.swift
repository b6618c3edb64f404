import EvidenceImport
import Foundation
import Testing

@testable import EvidenceVault

/// A reader that yields given messages, then optionally fails, as a malformed export would.
struct FakeReader: MessageReader {
  var messages: [ImportedMessage]
  var failAfter: Int?

  func read(progress: ImportProgress, _ handler: (ImportedMessage) throws -> Void) throws {
    for (offset, message) in messages.enumerated() {
      if let failAfter, offset == failAfter {
        throw ImportError(file: "backup.xml", position: "<sms> \(offset + 1)", message: "The date is not a number.")
      }
      try handler(message)
    }
  }
}

@Suite struct MessageImporterTests {
  static func sms(_ text: String, from address: String = "070-123 45 67", at seconds: Double, position: Int)
    -> ImportedMessage
  {
    ImportedMessage(
      channel: .sms, direction: .received, sender: Party(name: "Marko", address: address),
      time: SourceTime(instant: Date(timeIntervalSince1970: seconds)), text: text, position: "<sms> \(position)")
  }

  static func setUp() throws -> (Vault, URL, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("importer-\(UUID().uuidString)")
    let passphrase = SecretBytes(zeroedByteCount: 12)
    passphrase.withUnsafeMutableBytes { $0.copyBytes(from: Array("passphrase12".utf8)) }
    let vault = try Vault.create(
      at: folder.appendingPathComponent("vault"), passphrase: passphrase, opsLimit: 1, memLimitBytes: 8 << 20)
    let export = folder.appendingPathComponent("backup.xml")
    try Data("<smses/>".utf8).write(to: export)
    return (vault, folder, export)
  }

  @Test func messagesAreImportedLinkedAndTraceableToTheirSource() throws {
    let (vault, folder, export) = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: folder) }
    try vault.addPerson(Person(name: "Marko", phones: ["+46701234567"]))
    var picture = Self.sms("Titta här 😠", at: 1_795_901_460, position: 2)
    picture.channel = .mms
    picture.attachments = [
      ImportedAttachment(name: "photo.png", declaredType: "image/png", content: .bytes([0x89, 0x50, 0x4E, 0x47])),
      ImportedAttachment(name: "video.mp4", content: .missing("not in the export")),
    ]
    let reader = FakeReader(messages: [Self.sms("Du ska betala.", at: 1_795_901_400, position: 1), picture])
    let outcome = try MessageImporter.run(reader, exportFile: export, into: vault, options: ImportOptions())
    #expect(outcome.summary.added == 2 && outcome.summary.alreadyInVault == 0 && outcome.skippedByFilter == 0)
    #expect(outcome.summary.sourceExhibit == "A1")
    let index = vault.index
    #expect(index.messages.count == 2)
    let first = index.messages[0]
    #expect(first.from?.address == "+46701234567")
    #expect(first.from?.person == index.people[0].stamp.id)
    #expect(first.provenance.position == "<sms> 1")
    #expect(first.provenance.source == index.exhibits[0].current.stamp.id)
    #expect(first.provenance.sourceSHA256 == index.exhibits[0].current.sha256)
    #expect(index.exhibits[0].current.originalName == "backup.xml")
    let second = index.messages[1]
    #expect(second.text == "Titta här 😠" && second.attachments.count == 1)
    #expect(second.details["missing attachment 2"] == "video.mp4: not in the export")
    #expect(index.exhibits[1].current.mediaType == "application/octet-stream" || index.exhibits[1].current.size == 4)
    #expect(vault.integrity.isIntact)
  }

  @Test func importingAgainAddsOnlyWhatIsNew() throws {
    let (vault, folder, export) = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: folder) }
    let old = [Self.sms("Ett", at: 1_795_901_400, position: 1), Self.sms("Två", at: 1_795_901_500, position: 2)]
    _ = try MessageImporter.run(FakeReader(messages: old), exportFile: export, into: vault, options: ImportOptions())
    let newer = old + [Self.sms("Tre", at: 1_795_901_600, position: 3)]
    try Data("<smses> newer </smses>".utf8).write(to: export)
    let outcome = try MessageImporter.run(
      FakeReader(messages: newer), exportFile: export, into: vault, options: ImportOptions())
    #expect(outcome.summary.added == 1 && outcome.summary.alreadyInVault == 2)
    #expect(vault.index.messages.map(\.text) == ["Ett", "Två", "Tre"])
    let again = try MessageImporter.run(
      FakeReader(messages: newer), exportFile: export, into: vault, options: ImportOptions())
    #expect(again.summary.added == 0 && again.summary.alreadyInVault == 3 && again.summary.sourceExhibit == nil)
    #expect(vault.index.exhibits.count == 2)  // the two different export files, nothing for the empty import
  }

  @Test func aMalformedExportImportsNothingAndLeavesNoFiles() throws {
    let (vault, folder, export) = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: folder) }
    let journal = folder.appendingPathComponent("vault/journal.log")
    let before = try Data(contentsOf: journal)
    var picture = Self.sms("Bild", at: 1_795_901_460, position: 2)
    picture.attachments = [ImportedAttachment(name: "p.jpg", content: .bytes(Array(repeating: 7, count: 100_000)))]
    let reader = FakeReader(
      messages: [Self.sms("Ett", at: 1_795_901_400, position: 1), picture, Self.sms("Tre", at: 1, position: 3)],
      failAfter: 2)
    do {
      _ = try MessageImporter.run(reader, exportFile: export, into: vault, options: ImportOptions())
      Issue.record("a failing export was imported")
    } catch let error as VaultError {
      #expect(error.code == .invalidInput)
      #expect(error.message == "backup.xml, <sms> 3: The date is not a number.")
      #expect(error.hint?.contains("Nothing was imported") == true)
    }
    #expect(try Data(contentsOf: journal) == before)
    #expect(vault.index.messages.isEmpty && vault.index.exhibits.isEmpty)
    #expect(vault.blobStore.inventory().blobs.isEmpty)
    #expect(vault.integrity.head.sequence == 0)
    // The vault still works after the rollback.
    let outcome = try MessageImporter.run(
      FakeReader(messages: [Self.sms("Ett", at: 1_795_901_400, position: 1)]), exportFile: export, into: vault,
      options: ImportOptions())
    #expect(outcome.summary.added == 1)
  }

  @Test func filtersSkipAndCount() throws {
    let (vault, folder, export) = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: folder) }
    let messages = [
      Self.sms("från Marko", from: "0701234567", at: 1_795_901_400, position: 1),
      Self.sms("från någon annan", from: "+46 70 999 99 99", at: 1_795_901_500, position: 2),
      Self.sms("för gammal", from: "0046701234567", at: 1_700_000_000, position: 3),
    ]
    var options = ImportOptions()
    options.parties = ["+46 70 123 45 67"]
    options.since = Date(timeIntervalSince1970: 1_790_000_000)
    let outcome = try MessageImporter.run(
      FakeReader(messages: messages), exportFile: export, into: vault, options: options)
    #expect(outcome.summary.added == 1 && outcome.skippedByFilter == 2)
    #expect(vault.index.messages.map(\.text) == ["från Marko"])
  }

  @Test func unknownSendersCanBecomePeople() throws {
    let (vault, folder, export) = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: folder) }
    var options = ImportOptions()
    options.createPeople = true
    let messages = [
      Self.sms("Ett", at: 1_795_901_400, position: 1),
      Self.sms("Två", from: "0701234567", at: 1_795_901_500, position: 2),
    ]
    let outcome = try MessageImporter.run(
      FakeReader(messages: messages), exportFile: export, into: vault, options: options)
    #expect(outcome.peopleCreated == ["Marko"])
    let index = vault.index
    #expect(index.people.map(\.phones) == [["+46701234567"]])
    #expect(index.messages.allSatisfy { $0.from?.person == index.people[0].stamp.id })
  }
}
