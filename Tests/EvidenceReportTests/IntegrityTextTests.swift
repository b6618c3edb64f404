import EvidenceReport
import EvidenceVault
import Foundation
import Testing

@Suite struct IntegrityTextTests {
  static func passphrase() -> SecretBytes {
    let bytes = Array("correct horse battery".utf8)
    let secret = SecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
    return secret
  }

  static func entry(_ title: String) -> Entry {
    Entry(
      occurred: Occurrence(
        start: Date(timeIntervalSince1970: 1_795_901_400), precision: .day,
        timeZone: PersonalTimeZone.resolve(environment: [:])),
      title: title, narrative: "Text")
  }

  @Test func anIntactVaultSaysOKWithCountsHeadAndFingerprint() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("integrity-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let vault = try Vault.create(at: folder, passphrase: Self.passphrase(), strength: .interactive)
    try vault.addPerson(Person(name: "Marko"))
    try vault.addEntry(Self.entry("One"))
    let lines = IntegrityText.lines(
      integrity: vault.integrity, index: vault.index, clockNotices: [], fingerprint: vault.fingerprint,
      timeZone: PersonalTimeZone.resolve(environment: [:]))
    #expect(lines.first == "OK: 2 records verify (1 entry, 0 amendments, 1 person).")
    #expect(lines.contains("Head: 2 \(vault.integrity.head.hashHex)"))
    #expect(lines.contains("Vault fingerprint: \(vault.fingerprint)"))

    // Messages (and exhibits, failed unlocks) are counted once there are any.
    try vault.addMessage(
      Message(
        channel: .sms, direction: .received, from: .init(address: "+46701234567"),
        sentAt: Date(timeIntervalSince1970: 1_795_901_400), text: "Betala."),
      attaching: [])
    let withMessage = IntegrityText.lines(
      integrity: vault.integrity, index: vault.index, clockNotices: [], fingerprint: vault.fingerprint,
      timeZone: PersonalTimeZone.resolve(environment: [:]))
    #expect(withMessage.first == "OK: 3 records verify (1 entry, 0 amendments, 1 person, 1 message).")
    #expect(lines.contains("Vault fingerprint: \(vault.fingerprint)"))
  }

  @Test func aDamagedVaultNamesTheRecordAndWhatIsStillReadable() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("integrity-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      let vault = try Vault.create(at: folder, passphrase: Self.passphrase(), strength: .interactive)
      try vault.addEntry(Self.entry("One"))
      try vault.addEntry(Self.entry("Two"))
    }
    let journal = folder.appendingPathComponent("journal.log")
    var bytes = [UInt8](try Data(contentsOf: journal))
    bytes[bytes.count - 20] ^= 0x01
    try Data(bytes).write(to: journal)
    let vault = try Vault.open(at: folder, passphrase: Self.passphrase())
    let lines = IntegrityText.lines(
      integrity: vault.integrity, index: vault.index, clockNotices: [], fingerprint: vault.fingerprint,
      timeZone: PersonalTimeZone.resolve(environment: [:]))
    #expect(lines.contains { $0.hasPrefix("DAMAGED: Record 2 of the journal does not verify") })
    #expect(lines.contains { $0.hasPrefix("Still readable: 1 record verifies (1 entry, 0 amendments, 0 people)") })
    #expect(!lines.contains { $0.hasPrefix("OK") })
  }
}
