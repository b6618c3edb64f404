import EvidencePDF
import EvidenceReport
import EvidenceVault
import Foundation
import Testing

/// The PDF of the same committed fixture vault as the text dossier's golden files (made by
/// scripts/make-fixture-vault), exported as a person would: the package is written with both renderings, then
/// the PDF is read back with poppler and compared with the text dossier of the same export.
@Suite struct FixtureVaultPDFTests {
  static let vault = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("EvidenceReportTests/Fixtures/vault")

  static func passphrase() -> SecretBytes {
    let bytes = Array("correct horse battery staple".utf8)
    let secret = SecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
    return secret
  }

  @Test(arguments: DossierModel.Language.allCases)
  func theFixtureVaultsPDFHoldsWhatItsTextDossierHolds(language: DossierModel.Language) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-pdf-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let folder = root.appendingPathComponent("vault")
    try FileManager.default.copyItem(at: Self.vault, to: folder)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("inbox"), withIntermediateDirectories: true)
    let vault = try Vault.open(at: folder, passphrase: Self.passphrase())
    let builder = DossierBuilder(
      vault: vault, selection: ExportSelection(), language: language, personName: "Sara Exempel",
      producedAt: Date(timeIntervalSince1970: 1_796_040_000),
      timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .gmt, includeHelpPage: true)
    var options = EvidencePackage.Options()
    options.dossiers = [EvidencePackage.textDossier, DossierPDF.packageDossier]
    let out = root.appendingPathComponent("dossier")
    _ = try EvidencePackage.write(builder, vault: vault, to: out, options: options)
    let verdict = PackageVerifier.verify(out)
    #expect(verdict.isIntact, "\(verdict.lines)")

    let pdf = out.appendingPathComponent("dossier.pdf")
    let text = DossierPDFTests.flat(try DossierPDFFixture.run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"]))
    let strings = DossierStrings(language: language)
    // In the order the dossier gives them: every heading, the incidents, their narratives and messages, the
    // exhibit's hash, the anchor, the help lines.
    let model = builder.model
    var expected = [strings.title, "Sara Exempel", strings.timelineHeading, strings.peopleHeading]
    expected += ["Marko Petrović", "+46701234567", "Olga", strings.incidentsHeading]
    for incident in model.incidents {
      expected.append("#\(incident.number) – \(incident.title)")
      expected += incident.narrative.split(separator: "\n").map { DossierPDFTests.flat(String($0)) }
        .filter { !$0.contains("Skuldsedel") }  // the 200-character word wraps inside itself; checked below
    }
    expected += [strings.messagesHeading, "Открой дверь. Я знаю, что ты дома.", "You owe me & you know it."]
    expected += [strings.exhibitsHeading, model.exhibits[0].sha256, "55.605000, 13.003800"]
    expected += [strings.integrityHeading, model.integrity.anchors[0].code, strings.helpHeading, "020-50 50 50"]
    var rest = Substring(text)
    for phrase in expected {
      guard let found = rest.range(of: phrase) else {
        Issue.record("\(phrase) is missing from the PDF or out of order")
        continue
      }
      rest = rest[found.upperBound...]
    }
    let longWord = "Skuldsedel" + String(repeating: "x", count: 190)
    #expect(text.replacingOccurrences(of: " ", with: "").contains(longWord), "the 200-character word is cut")
    // pdftotext gives Arabic in logical order, word by word (it spells the lam-alef ligature of the last word
    // back in another order, so that word is not compared).
    for word in ["افتح", "الباب"] { #expect(text.contains(word), "Arabic \(word)") }

    let info = try DossierPDFTests.pdfInfo(pdf)
    #expect(info["Title"] == strings.title && info["Author"] == "Sara Exempel")
    #expect(Int(info["Pages"] ?? "") ?? 0 >= 8)
    let images = try DossierPDFFixture.run("pdfimages", ["-list", pdf.path])
    #expect(images.split(separator: "\n").contains { $0.contains("jpeg") }, "the photo is not embedded as JPEG")
  }
}
