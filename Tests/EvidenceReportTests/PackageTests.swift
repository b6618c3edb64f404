import EvidenceReport
import EvidenceVault
import Foundation
import Testing

@Suite struct PackageTests {
  static func passphrase() -> SecretBytes {
    let bytes = Array("correct horse battery".utf8)
    let secret = SecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
    return secret
  }

  static func entry(_ title: String, day: Double) -> Entry {
    Entry(
      occurred: Occurrence(
        start: Date(timeIntervalSince1970: 1_795_901_400 - day * 86_400), precision: .minute,
        timeZone: PersonalTimeZone.resolve(environment: [:])),
      title: title, narrative: "What happened: \(title).", categories: [.threat])
  }

  /// A vault with three incidents (one with a photo), a person and a message, and an export of it.
  static func exported(selection: ExportSelection = ExportSelection()) throws -> (root: URL, package: URL, vault: Vault)
  {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("package-\(UUID().uuidString)")
    let vault = try Vault.create(
      at: root.appendingPathComponent("vault"), passphrase: passphrase(), strength: .interactive)
    try vault.addPerson(Person(name: "Marko", phones: ["+46701234567"]))
    try vault.addEntry(entry("First", day: 3))
    let photo = root.appendingPathComponent("injury.jpg")
    try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: photo)
    _ = try vault.addEntry(entry("Second", day: 2), attaching: [photo])
    try vault.addEntry(entry("Third", day: 1))
    var message = Message(
      channel: .sms, direction: .received, from: Message.Party(address: "+46701234567"),
      sentAt: Date(timeIntervalSince1970: 1_795_901_000), text: "Du ska betala.")
    message.entry = vault.index.entries[1].original.stamp.id
    try vault.addMessage(message, attaching: [])
    let builder = DossierBuilder(
      vault: vault, selection: selection, language: .en, personName: nil,
      producedAt: Date(timeIntervalSince1970: 1_795_958_520),
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: true)
    let package = root.appendingPathComponent("dossier")
    _ = try EvidencePackage.write(builder, dossierText: "Dossier text\n", vault: vault, to: package)
    return (root, package, vault)
  }

  @Test func aFreshPackageVerifiesWithoutTheVault() throws {
    let (root, package, vault) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let verdict = PackageVerifier.verify(package)
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.first?.hasPrefix("INTACT") == true)
    #expect(verdict.lines.contains { $0.contains(vault.fingerprint) })
    for (file, schema) in [
      ("manifest.json", "export-manifest.schema.json"), ("records.json", "export-records.schema.json"),
    ] {
      let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/validate_json.py")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", validator.path, schema, package.appendingPathComponent(file).path]
      try process.run()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(file) does not match \(schema)")
    }
    let exhibit = package.appendingPathComponent("exhibits/01-injury.jpg")
    #expect(try Data(contentsOf: exhibit) == Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]))
    let mode = try FileManager.default.attributesOfItem(atPath: exhibit.path)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)
  }

  @Test func aSubsetStillVerifiesAndSaysWhatIsWithheld() throws {
    var selection = ExportSelection()
    selection.entryNumbers = [2]
    let (root, package, vault) = try Self.exported(selection: selection)
    defer { try? FileManager.default.removeItem(at: root) }
    let verdict = PackageVerifier.verify(package)
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.contains { $0.contains("withheld") })
    let records = try String(contentsOf: package.appendingPathComponent("records.json"), encoding: .utf8)
    #expect(records.contains("What happened: Second.") && !records.contains("What happened: First."))
    #expect(vault.records.count == 6)  // person, three entries, the photo, the message
  }

  @Test(arguments: ["dossier.txt", "exhibits/01-injury.jpg", "records.json", "manifest.json"])
  func aChangedByteIsNamed(file: String) throws {
    let (root, package, _) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = package.appendingPathComponent(file)
    var bytes = [UInt8](try Data(contentsOf: url))
    let offset = file == "records.json" ? (bytes.count * 3 / 4) : bytes.count / 2
    bytes[offset] ^= 0x01
    try Data(bytes).write(to: url)
    let verdict = PackageVerifier.verify(package)
    #expect(!verdict.isIntact)
    if file == "manifest.json" {
      #expect(
        verdict.lines.contains { $0.contains("manifest.sig is not a valid signature") }
          || verdict.lines.first?.contains("manifest.json") == true)
    } else {
      #expect(verdict.lines.contains { $0.contains(file) }, "\(verdict.lines)")
    }
  }

  @Test func removedAddedAndForgedAreCaught() throws {
    let (root, package, _) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.removeItem(at: package.appendingPathComponent("exhibits/01-injury.jpg"))
    try Data("extra".utf8).write(to: package.appendingPathComponent("exhibits/02-planted.jpg"))
    try Data((String(repeating: "00", count: 64) + "\n").utf8).write(to: package.appendingPathComponent("manifest.sig"))
    let lines = PackageVerifier.verify(package).lines
    #expect(lines.contains("exhibits/01-injury.jpg is missing."))
    #expect(lines.contains("exhibits/02-planted.jpg was added: it is not in the manifest."))
    #expect(lines.contains { $0.contains("not a valid signature") })
  }

  @Test func aRecordFromAnotherVaultBreaksTheChain() throws {
    let (root, package, _) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let (otherRoot, otherPackage, _) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: otherRoot) }
    // Both records.json are signed over in their manifests; swapping one in also changes its hash, and its
    // leaves chain from another vault's genesis.
    try FileManager.default.removeItem(at: package.appendingPathComponent("records.json"))
    try FileManager.default.copyItem(
      at: otherPackage.appendingPathComponent("records.json"), to: package.appendingPathComponent("records.json"))
    let lines = PackageVerifier.verify(package).lines
    #expect(lines.contains("records.json was changed (its SHA-256 differs)."))
    #expect(lines.contains { $0.contains("do not chain to the signed head") })
  }

  @Test func aFailedExportLeavesNoPlaintextBehind() throws {
    let (root, _, vault) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    // Damage the photo's encrypted file: copying it out fails half-way through the export.
    let blobs = root.appendingPathComponent("vault/blobs")
    let shard = try #require(try FileManager.default.contentsOfDirectory(atPath: blobs.path).first { $0.count == 2 })
    let blobName = try #require(
      try FileManager.default.contentsOfDirectory(atPath: blobs.appendingPathComponent(shard).path).first)
    let blob = blobs.appendingPathComponent(shard).appendingPathComponent(blobName)
    var bytes = [UInt8](try Data(contentsOf: blob))
    bytes[bytes.count - 3] ^= 0x01
    try Data(bytes).write(to: blob)
    let builder = DossierBuilder(
      vault: vault, selection: ExportSelection(), language: .sv, personName: nil, producedAt: Date(),
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: false)
    let out = root.appendingPathComponent("second-export")
    #expect(throws: VaultError.self) {
      _ = try EvidencePackage.write(builder, dossierText: "Dossier text\n", vault: vault, to: out)
    }
    #expect(!FileManager.default.fileExists(atPath: out.path), "a half-written plaintext export was left behind")
  }
}
