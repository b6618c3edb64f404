import Foundation
import Testing

@testable import EvidenceVault

/// What the vault writes validates against Schemas/ (checked by Python's jsonschema, an independent validator).
@Suite struct SchemaTests {
  static let validator = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/validate_json.py")

  /// Runs the validator; returns its exit code and output.
  static func validate(_ bytes: [UInt8], against schema: String) throws -> (Int32, String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", validator.path, schema, file.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  @Test func theHeaderTheHeadAndEveryRecordValidate() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), strength: TestVaults.strength)
    try vault.addPerson(
      Person(name: "Marko", aliases: ["M"], phones: ["+46701234567"], emails: ["m@example.se"], relation: "recruiter"))
    var entry = TestVaults.sampleEntry()
    entry.people = [Participant(person: try vault.index.person(named: "M").stamp.id, role: .perpetrator)]
    entry.amounts = [MoneyAmount(kind: .demanded, amount: "2500.50")]
    entry.injuries = "Bruise"
    entry.occurred.end = "2026-11-28T22:00:00Z"
    try vault.addEntry(entry)
    entry.title = "Amended"
    try vault.amendEntry(1, with: entry)

    for (file, schema) in [("vault.json", "vault-header.schema.json"), ("head.json", "head.schema.json")] {
      let (status, output) = try Self.validate(try readBytes(folder.appendingPathComponent(file)), against: schema)
      #expect(status == 0, "\(file): \(output)")
    }
    _ = try vault.anchor()
    for stored in vault.records {
      let schema: String
      switch stored.record {
      case .entry: schema = "record-entry.schema.json"
      case .anchor: schema = "record-anchor.schema.json"
      case .access: schema = "record-access.schema.json"
      default: schema = "record-person.schema.json"
      }
      let (status, output) = try Self.validate(stored.bytes, against: schema)
      #expect(status == 0, "record \(stored.sequence): \(output)")
    }
  }

  @Test func attachmentRecordsAndTheExhibitListValidate() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let originals = folder.deletingLastPathComponent().appendingPathComponent("originals")
    try FileManager.default.createDirectory(at: originals, withIntermediateDirectories: true)
    let photo = originals.appendingPathComponent("injury.jpg")
    try Data(
      JPEGFixture.make(
        make: "Apple", model: "iPhone 12", dateTimeOriginal: "2026:11:28 22:30:15", offset: "+01:00",
        latitude: 55.6050, longitude: 13.0038, altitude: 12.5, bigEndian: true)
    ).write(to: photo)
    let empty = originals.appendingPathComponent("empty.txt")
    try Data().write(to: empty)
    try vault.attach([photo, empty], toEntry: 1)
    try vault.attach([empty], toEntry: nil)
    try vault.tieExhibit("A3", toEntry: 1)
    let photoRecord = try vault.index.exhibit("A1").current
    #expect(photoRecord.mediaType == "image/jpeg")
    #expect(photoRecord.capture?.takenAt == "2026-11-28T22:30:15" && photoRecord.capture?.takenAtOffset == "+01:00")
    #expect(photoRecord.capture?.make == "Apple")
    for stored in vault.records {
      guard case .attachment = stored.record else { continue }
      let (status, output) = try Self.validate(stored.bytes, against: "record-attachment.schema.json")
      #expect(status == 0, "record \(stored.sequence): \(output)")
    }
  }

  @Test func theValidatorRejectsWhatTheSchemasForbid() throws {
    var entry = TestVaults.sampleEntry()
    entry.stamp = RecordStamp(id: "not-a-uuid", salt: "00", recordedAt: "yesterday")
    let (status, output) = try Self.validate(RecordCodec.encode(.entry(entry)), against: "record-entry.schema.json")
    #expect(status == 1)
    #expect(output.contains("id") && output.contains("salt") && output.contains("recordedAt"))
  }
}
