import EvidenceVault
import Foundation
import Testing

@testable import EvidenceReport

/// When the tests' exports were made: a fixed instant, so that nothing depends on the hour the tests run at.
private let fixedProducedAt = Date(timeIntervalSince1970: 1_796_036_400)

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
    _ = try EvidencePackage.write(builder, vault: vault, to: package)
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

  @Test func oneRecordSwappedForAnotherVaultsRecordIsNamed() throws {
    let (root, package, _) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let (otherRoot, otherPackage, _) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: otherRoot) }
    // Record 2 (the first incident) with its own leaf, taken from another vault's package of the same shape.
    let url = package.appendingPathComponent("records.json")
    var records = try JSONDecoder().decode(EvidencePackage.RecordsFile.self, from: Data(contentsOf: url))
    let other = try JSONDecoder().decode(
      EvidencePackage.RecordsFile.self, from: Data(contentsOf: otherPackage.appendingPathComponent("records.json")))
    records.records[1] = other.records[1]
    try Data(try EvidencePackage.encode(records)).write(to: url)
    let lines = PackageVerifier.verify(package).lines
    #expect(
      lines.prefix(3) == [
        "NOT INTACT: 2 problems found; what differs is listed below.",
        "records.json was changed (its SHA-256 differs).",
        "The records do not chain to the signed head: records were added, removed or taken from another vault.",
      ], "\(lines)")
  }

  @Test func aFailedExportLeavesNoPlaintextBehind() throws {
    let (root, _, vault) = try Self.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    // Damage the photo's encrypted file: copying it out fails half-way through the export.
    try PackageModesTests.damageBlob(in: root)
    let builder = DossierBuilder(
      vault: vault, selection: ExportSelection(), language: .sv, personName: nil, producedAt: fixedProducedAt,
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: false)
    let out = root.appendingPathComponent("second-export")
    #expect(throws: VaultError.self) {
      _ = try EvidencePackage.write(builder, vault: vault, to: out)
    }
    #expect(!FileManager.default.fileExists(atPath: out.path), "a half-written plaintext export was left behind")
  }
}

@Suite struct PackageModesTests {
  /// Flips a byte near the end of the vault's only blob (the photo's encrypted file).
  static func damageBlob(in root: URL) throws {
    let blobs = root.appendingPathComponent("vault/blobs")
    let shard = try #require(try FileManager.default.contentsOfDirectory(atPath: blobs.path).first { $0.count == 2 })
    let blobName = try #require(
      try FileManager.default.contentsOfDirectory(atPath: blobs.appendingPathComponent(shard).path).first)
    let blob = blobs.appendingPathComponent(shard).appendingPathComponent(blobName)
    var bytes = [UInt8](try Data(contentsOf: blob))
    bytes[bytes.count - 3] ^= 0x01
    try Data(bytes).write(to: blob)
  }

  static func builder(_ vault: Vault) -> DossierBuilder {
    DossierBuilder(
      vault: vault, selection: ExportSelection(), language: .en, personName: nil,
      producedAt: Date(timeIntervalSince1970: 1_795_958_520),
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: true)
  }

  static func files(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for path in try EvidencePackage.listFiles(in: folder, includingManifest: true) {
      files[path] = try Data(contentsOf: folder.appendingPathComponent(path))
    }
    return files
  }

  @Test func theSameVaultAndOptionsGiveTheSameBytes() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    // Two more exports, each in a folder named "dossier" like the first, so their archives can match too.
    let second = root.appendingPathComponent("2/dossier")
    let third = root.appendingPathComponent("3/dossier")
    _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: second)
    _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: third)
    let first = try Self.files(package)
    #expect(
      first.keys.sorted() == [
        "HOW-TO-VERIFY.txt", "HUR-DU-KONTROLLERAR.txt", "SHA256SUMS", "dossier.txt", "exhibits/01-injury.jpg",
        "manifest.json", "manifest.sig", "records.json", "signing-key.pem",
      ])
    // The first export was made with the same production time and language.
    #expect(try Self.files(second) == first)
    #expect(try Self.files(third) == first)
    let date = Date(timeIntervalSince1970: 1_795_958_520)
    try EvidencePackage.zip(second, to: root.appendingPathComponent("2/dossier.zip"), date: date)
    try EvidencePackage.zip(third, to: root.appendingPathComponent("3/dossier.zip"), date: date)
    let a = try Data(contentsOf: root.appendingPathComponent("2/dossier.zip"))
    #expect(a == (try Data(contentsOf: root.appendingPathComponent("3/dossier.zip"))))
  }

  @Test func aZipArchiveVerifiesAndAChangeInsideItIsNamed() throws {
    let (root, package, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let archive = root.appendingPathComponent("dossier.zip")
    try EvidencePackage.zip(package, to: archive, date: Date(timeIntervalSince1970: 1_795_958_520))
    let intact = PackageVerifier.verify(archive)
    #expect(intact.isIntact, "\(intact.lines)")
    #expect(throws: VaultError.self) {
      try EvidencePackage.zip(package, to: archive, date: fixedProducedAt)
    }
    // Change a byte of the photo in the folder and zip it again: the archive names the photo.
    let photo = package.appendingPathComponent("exhibits/01-injury.jpg")
    var bytes = [UInt8](try Data(contentsOf: photo))
    bytes[4] ^= 0x01
    try Data(bytes).write(to: photo)
    try EvidencePackage.zip(package, to: archive, date: fixedProducedAt, replacing: true)
    let changed = PackageVerifier.verify(archive)
    #expect(!changed.isIntact)
    #expect(changed.lines.contains("exhibits/01-injury.jpg was changed (its SHA-256 differs)."), "\(changed.lines)")
    try Data("not a zip".utf8).write(to: root.appendingPathComponent("junk.zip"))
    let junk = PackageVerifier.verify(root.appendingPathComponent("junk.zip"))
    #expect(!junk.isIntact && junk.lines[0].contains("neither a package folder nor a zip archive"))
  }

  @Test func replacingEmptiesOnlyAnEarlierExport() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(throws: VaultError.self) { _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: package) }
    var options = EvidencePackage.Options()
    options.replacing = true
    _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: package, options: options)
    #expect(PackageVerifier.verify(package).isIntact)
    let mine = package.appendingPathComponent("notes.odt")
    try Data("my own notes".utf8).write(to: mine)
    let error = try #require(throws: VaultError.self) {
      _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: package, options: options)
    }
    #expect(error.message.contains("notes.odt"))
    #expect(try Data(contentsOf: mine) == Data("my own notes".utf8))
  }

  @Test func aDamagedExhibitIsLeftOutAndListedInSalvageMode() throws {
    let (root, _, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.damageBlob(in: root)
    let refused = try #require(throws: VaultError.self) {
      _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: root.appendingPathComponent("refused"))
    }
    #expect(refused.hint?.contains("--salvage") == true)
    var options = EvidencePackage.Options()
    options.salvage = true
    let out = root.appendingPathComponent("salvaged")
    let summary = try EvidencePackage.write(Self.builder(vault), vault: vault, to: out, options: options)
    #expect(summary.exhibits == 0)
    #expect(summary.problems.count == 1 && summary.problems[0].contains("exhibits/01-injury.jpg (exhibit 1)"))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("exhibits/01-injury.jpg").path))
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("Problems found (salvage)"))
    #expect(dossier.contains("is not in this export"))
    let verdict = PackageVerifier.verify(out)
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.contains { $0.hasPrefix("Salvage export:") })
  }

  @Test func aDamagedJournalIsExportedOnlyInSalvageModeUpToTheDamage() throws {
    let (root, _, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    // Flip a byte inside the journal's last frame: the last record (the message) no longer authenticates.
    let journal = root.appendingPathComponent("vault/journal.log")
    var bytes = [UInt8](try Data(contentsOf: journal))
    bytes[bytes.count - 20] ^= 0x01
    try Data(bytes).write(to: journal)
    let vault = try Vault.open(at: root.appendingPathComponent("vault"), passphrase: PackageTests.passphrase())
    #expect(!vault.integrity.isIntact)
    let refused = try #require(throws: VaultError.self) {
      _ = try EvidencePackage.write(Self.builder(vault), vault: vault, to: root.appendingPathComponent("refused"))
    }
    #expect(refused.message.hasPrefix("The vault does not verify"))
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("refused").path))
    var options = EvidencePackage.Options()
    options.salvage = true
    let out = root.appendingPathComponent("salvaged")
    let summary = try EvidencePackage.write(Self.builder(vault), vault: vault, to: out, options: options)
    // The five records before the damage: three entries and the photo; the person is named by nothing left.
    #expect(summary.includedRecords == 4 && summary.withheldRecords == 1)
    let verdict = PackageVerifier.verify(out)
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.contains { $0.contains("Record 6") || $0.contains("record 6") }, "\(verdict.lines)")
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("What happened: Third."))
    #expect(!dossier.contains("Du ska betala."))
  }

  @Test func anAnchorRecordedInTheJournalIsCheckedByTheVerifier() throws {
    let (root, _, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let anchor = try vault.anchor()
    #expect(anchor.sequence == 6)
    #expect(try vault.anchor() == anchor)
    #expect(try vault.checkAnchor(anchor.code) == .matches(sequence: 6, madeAt: anchor.stamp.recordedAt))
    try vault.addEntry(PackageTests.entry("Fourth", day: 0))
    #expect(vault.anchorStatus.unanchoredRecords == 1)
    var selection = ExportSelection()
    selection.entryNumbers = [4]
    let builder = DossierBuilder(
      vault: vault, selection: selection, language: .sv, personName: nil, producedAt: fixedProducedAt,
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: false)
    let out = root.appendingPathComponent("subset")
    _ = try EvidencePackage.write(builder, vault: vault, to: out)
    let verdict = PackageVerifier.verify(out, anchorCodes: [anchor.code])
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.contains("Anchor \(anchor.code) recorded in the journal matches the chain up to record 6."))
    #expect(verdict.lines.contains { $0.hasPrefix("Anchor \(anchor.code) matches") })
    #expect(verdict.lines.contains("1 record was written after the last anchor: it is not yet anchored."))
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("Dagboken fram till post 6: \(anchor.code)"))
  }
}

@Suite struct DossierAgainstRecordsTests {
  static let matches =
    "dossier.txt says exactly what the records say: made again from records.json, it is the same to the byte."

  @Test(arguments: ["everything", "entries", "dates", "category", "person", "salvage"])
  func theVerifierMakesTheSameDossierFromTheRecords(selectionName: String) throws {
    let (root, _, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    try vault.addEntry(PackageTests.entry("Fourth", day: 0))
    _ = try vault.anchor()
    var selection = ExportSelection()
    var options = EvidencePackage.Options()
    switch selectionName {
    case "entries": selection.entryNumbers = [2, 4]
    case "dates":
      selection.from = Date(timeIntervalSince1970: 1_795_901_400 - 2.5 * 86_400)
      selection.to = Date(timeIntervalSince1970: 1_795_901_400 - 0.5 * 86_400)
    case "category": selection.category = .threat
    case "person": selection.personId = vault.index.people[0].stamp.id
    case "salvage":
      try PackageModesTests.damageBlob(in: root)
      options.salvage = true
    default: break
    }
    let builder = DossierBuilder(
      vault: vault, selection: selection, language: .sv, personName: "Sara", producedAt: fixedProducedAt,
      timeZone: PersonalTimeZone.resolve(environment: [:]), includeHelpPage: false)
    let out = root.appendingPathComponent("out")
    _ = try EvidencePackage.write(builder, vault: vault, to: out, options: options)
    let verdict = PackageVerifier.verify(out)
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.contains(Self.matches), "\(verdict.lines)")
  }

  /// A dossier that misstates a record, in a package whose manifest and signature are otherwise right (as a
  /// faulty exporter would make it): only the comparison with the records can catch it.
  @Test func aDossierThatMisstatesARecordIsCaughtEvenWhenSigned() throws {
    let (root, package, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let dossierURL = package.appendingPathComponent("dossier.txt")
    let original = try String(contentsOf: dossierURL, encoding: .utf8)
    #expect(original.contains("What happened: Second."))
    let changed = original.replacingOccurrences(of: "What happened: Second.", with: "What happened: Nothing.")
    try Data(changed.utf8).write(to: dossierURL)
    // Sign a manifest that lists the changed dossier, with the vault's own key.
    let manifestURL = package.appendingPathComponent("manifest.json")
    var manifest = try JSONDecoder().decode(EvidencePackage.Manifest.self, from: Data(contentsOf: manifestURL))
    let hash = try ExportCrypto.sha256(of: dossierURL)
    manifest.files = manifest.files.map {
      $0.path == "dossier.txt" ? .init(path: $0.path, size: hash.size, sha256: hash.hex) : $0
    }
    // SHA256SUMS made to agree, as a forger who holds the key would.
    let sums = Array(EvidencePackage.sumsText(manifest.files).utf8)
    try Data(sums).write(to: package.appendingPathComponent("SHA256SUMS"))
    manifest.files = manifest.files.map {
      $0.path == "SHA256SUMS" ? .init(path: $0.path, size: Int64(sums.count), sha256: ExportCrypto.sha256(sums)) : $0
    }
    let bytes = try EvidencePackage.encode(manifest)
    try Data(bytes).write(to: manifestURL)
    try Data(vault.signExport(bytes)).write(to: package.appendingPathComponent("manifest.sig"))
    let verdict = PackageVerifier.verify(package)
    #expect(!verdict.isIntact)
    let lineNumber = try #require(
      original.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated().lazy.compactMap { page, text in
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
          $0.contains("What happened: Second.")
        }
        .map { (page + 1, $0 + 1) }
      }.first)
    #expect(
      verdict.lines == [
        "NOT INTACT: 1 problem found; what differs is listed below.",
        "dossier.txt does not say what the records in records.json say, first on page \(lineNumber.0), line \(lineNumber.1).",
      ] + verdict.lines.dropFirst(2), "\(verdict.lines)")
  }
}
