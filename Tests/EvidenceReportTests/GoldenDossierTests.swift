import EvidenceReport
import EvidenceVault
import Foundation
import Testing

/// The dossier of a small committed fixture vault (made by scripts/make-fixture-vault), compared byte for byte with
/// the expected text in both languages. The fixture holds the awkward cases: an incident at 02:30 on the night the
/// clocks went back, an approximate month, an amended entry, a narrative with a 200-character word, a message in
/// Cyrillic and Arabic, one with `&`, `<` and quotes, a photo whose EXIF gives time, place and camera, an anchor.
///
/// After an intended change of the dossier, run the tests with EVIDENCE_UPDATE_GOLDEN=1 to rewrite the expected
/// files, and read the difference before committing it.
@Suite struct GoldenDossierTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func passphrase() -> SecretBytes {
    let bytes = Array("correct horse battery staple".utf8)
    let secret = SecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
    return secret
  }

  /// A private copy of the fixture vault (opening takes its lock; git keeps neither empty folders nor modes).
  static func openFixture() throws -> (root: URL, vault: Vault) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let folder = root.appendingPathComponent("vault")
    try FileManager.default.copyItem(at: fixtures.appendingPathComponent("vault"), to: folder)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("inbox"), withIntermediateDirectories: true)
    return (root, try Vault.open(at: folder, passphrase: passphrase()))
  }

  static func builder(_ vault: Vault, _ language: DossierModel.Language) -> DossierBuilder {
    DossierBuilder(
      vault: vault, selection: ExportSelection(), language: language, personName: "Sara Exempel",
      producedAt: Date(timeIntervalSince1970: 1_796_040_000),  // 2026-11-30 12:00 UTC
      timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .gmt, includeHelpPage: true)
  }

  /// What `verify-export` says of an export of the fixture, word for word: without a fingerprint, with the right
  /// one, with another vault's; in Swedish and English (Fixtures/verdicts-sv.txt, verdicts-en.txt).
  @Test(arguments: DossierModel.Language.allCases)
  func theVerdictsAreExactlyAsExpected(language: DossierModel.Language) throws {
    let (root, vault) = try Self.openFixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let package = root.appendingPathComponent("dossier")
    _ = try EvidencePackage.write(Self.builder(vault, language), vault: vault, to: package)
    var text = ""
    for (heading, fingerprint) in [
      ("without a fingerprint", nil), ("with the vault's fingerprint", vault.fingerprint),
      ("with another vault's fingerprint", "0123 4567 89ab cdef 0123 4567 89ab cdef"),
    ] {
      let verdict = PackageVerifier.verify(package, fingerprint: fingerprint, language: language)
      text += "## \(heading)\n" + verdict.lines.joined(separator: "\n") + "\n\n"
    }
    let golden = Self.fixtures.appendingPathComponent("verdicts-\(language.rawValue).txt")
    if ProcessInfo.processInfo.environment["EVIDENCE_UPDATE_GOLDEN"] == "1" {
      try Data(text.utf8).write(to: golden)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(text == expected, "\(text)")
  }

  @Test(arguments: DossierModel.Language.allCases)
  func theDossierIsExactlyAsExpected(language: DossierModel.Language) throws {
    let (root, vault) = try Self.openFixture()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(vault.integrity.isIntact)
    let text = DossierText.render(Self.builder(vault, language).model)
    let golden = Self.fixtures.appendingPathComponent("dossier-\(language.rawValue).txt")
    if ProcessInfo.processInfo.environment["EVIDENCE_UPDATE_GOLDEN"] == "1" {
      try Data(text.utf8).write(to: golden)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    let got = text.split(separator: "\n", omittingEmptySubsequences: false)
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for (number, (line, wanted)) in zip(got, want).enumerated() where line != wanted {
      Issue.record("line \(number + 1) differs:\n  got:      \(line)\n  expected: \(wanted)")
      break
    }
    #expect(got.count == want.count)
    #expect(text == expected)
  }

  @Test func theFixturesAwkwardCasesAreInTheDossier() throws {
    let (root, vault) = try Self.openFixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let text = DossierText.render(Self.builder(vault, .sv).model)
    // What the golden file must keep, named, so that a rewritten golden file cannot silently lose it.
    let longWord = "Skuldsedel" + String(repeating: "x", count: 190)
    // Lines joined again without their indentation (a long word continues on the next line), and all white space
    // runs as one space (a field continues on the next line).
    let unwrapped = text.replacingOccurrences(of: "\n *", with: "", options: .regularExpression)
    let flat = text.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
    #expect(unwrapped.contains(longWord), "the 200-character word is cut")
    #expect(text.contains("25 oktober 2026 kl. 02:30 (UTC+02:00)"), "the repeated hour is not told apart")
    #expect(text.contains("ungefär september 2026"))
    #expect(text.contains("Открой дверь. Я знаю, что ты дома."))
    #expect(text.contains("افتح الباب الآن"))
    #expect(text.contains("You owe me & you know it. \"Pay\" <today>."))
    #expect(flat.contains("2026-10-25 02:40:00 +01:00, 55.605000, 13.003800, Apple iPhone 12"))
    #expect(text.contains("Marko följde efter mig från tunnelbanan hela vägen hem."))
    #expect(text.contains("En man jag inte kände följde efter mig från tunnelbanan hem."))
    #expect(text.contains("a5041befd88097786ff64d4f2e267d7ae3532fefde945740e79b279d36de940b"))
    #expect(text.contains("Sara Exempel"))
    for line in text.split(separator: "\n") { #expect(line.count <= DossierText.lineWidth, "\(line)") }
  }

  @Test func theFixturesPackageVerifiesAndItsDossierIsMadeAgainFromItsRecords() throws {
    let (root, vault) = try Self.openFixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("dossier")
    _ = try EvidencePackage.write(Self.builder(vault, .en), vault: vault, to: out)
    let golden = try Data(contentsOf: Self.fixtures.appendingPathComponent("dossier-en.txt"))
    #expect(try Data(contentsOf: out.appendingPathComponent("dossier.txt")) == golden)
    let verdict = PackageVerifier.verify(out, anchorCodes: [vault.index.anchors[0].anchor.code])
    #expect(verdict.isIntact, "\(verdict.lines)")
    #expect(verdict.lines.contains(DossierAgainstRecordsTests.matches))
  }
}
