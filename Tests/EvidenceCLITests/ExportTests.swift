import EvidenceVault
import Foundation
import Testing

@Suite("Export and verify-export, as the person and the officer use them")
struct ExportTests {
  @Test("export writes a dossier and package that verify-export accepts without a passphrase, and names a change")
  func exportAndVerify() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.succeed(["person", "add", "Marko", "--phone", "070-123 45 67"])
    try vault.addEntry(
      when: "igår 22:30", title: "Hot i trapphuset", narrative: "Han sa att han vet var min syster bor.",
      extra: ["--person", "Marko", "--category", "threat"])
    try vault.succeed(
      [
        "message", "add", "--channel", "sms", "--from", "Marko", "--at", "igår 22:40", "--entry", "1", "--text-file",
        "-",
      ],
      stdin: "Sista varningen.")
    let out = vault.root.appendingPathComponent("dossier")
    let exported = try vault.succeed(["export", "--out", out.path, "--lang", "sv"])
    #expect(exported.stdout.contains("Wrote"), "\(exported)")
    #expect(exported.stderr.contains("not encrypted"))
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("Han sa att han vet var min syster bor."))
    #expect(dossier.contains("Sista varningen."))
    #expect(dossier.contains("Sida 1 av"))
    let pdf = try Data(contentsOf: out.appendingPathComponent("dossier.pdf"))
    #expect(pdf.starts(with: Data("%PDF-".utf8)))
    let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
    #expect(manifest.contains("\"dossier.pdf\""))

    // The officer: no vault, no passphrase.
    let binary = try EvidenceRunner.binary()
    let verified = try EvidenceRunner.run(binary, ["verify-export", out.path])
    #expect(verified.exitCode == 0, "\(verified)")
    // In the dossier's language, and not confirmed: nothing was given to confirm the key with.
    #expect(verified.stdout.hasPrefix("OFÖRÄNDRAT, AVSÄNDAREN EJ BEKRÄFTAD"), "\(verified)")

    var bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("dossier.txt")))
    bytes[bytes.count / 2] ^= 0x01
    try Data(bytes).write(to: out.appendingPathComponent("dossier.txt"))
    let changed = try EvidenceRunner.run(binary, ["verify-export", out.path])
    #expect(changed.exitCode == 1)
    // In the dossier's language (Swedish here), like the verdict.
    #expect(changed.stdout.contains("dossier.txt har ändrats (dess SHA-256 skiljer sig)."), "\(changed)")

    // A changed byte in the PDF is named too; --format txt writes no PDF.
    var pdfBytes = [UInt8](pdf)
    pdfBytes[pdfBytes.count / 2] ^= 0x01
    try Data(pdfBytes).write(to: out.appendingPathComponent("dossier.pdf"))
    let pdfChanged = try EvidenceRunner.run(binary, ["verify-export", out.path])
    #expect(pdfChanged.stdout.contains("dossier.pdf har ändrats"), "\(pdfChanged)")
    let textOnly = vault.root.appendingPathComponent("text-only")
    try vault.succeed(["export", "--out", textOnly.path, "--format", "txt"])
    #expect(!FileManager.default.fileExists(atPath: textOnly.appendingPathComponent("dossier.pdf").path))
    let badFormat = try vault.run(["export", "--out", textOnly.path, "--format", "docx"])
    expectCleanFailure(badFormat, exitCode: 2, messageContains: ["--format"])

    let again = try vault.run(["export", "--out", out.path])
    expectCleanFailure(again, exitCode: 2, messageContains: ["already holds files"])
  }

  @Test("anchor prints a code that anchor --check and verify-export --anchor accept, on the folder and the zip")
  func anchorsZipAndForce() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let empty = try vault.run(["anchor"])
    expectCleanFailure(empty, exitCode: 2, messageContains: ["nothing to anchor"])
    try vault.addEntry(when: "igår 22:30", title: "Hot i trapphuset", narrative: "Han väntade utanför.")
    let anchored = try vault.succeed(["anchor"])
    let code = String(anchored.stdout.split(separator: "\n").first ?? "")
    #expect(code.hasPrefix("1-") && code.count == 37, "\(anchored)")
    // Anchoring again with nothing new written gives the same code and writes nothing.
    let before = try vault.journalBytes()
    #expect(try vault.succeed(["anchor"]).stdout.hasPrefix(code))
    #expect(try vault.journalBytes() == before)

    try vault.addEntry(when: "2026-11-30 08:00", title: "Samtal", narrative: "Han ringde tre gånger.")
    let checked = try vault.succeed(["anchor", "--check", code.lowercased()])
    #expect(checked.stdout.hasPrefix("MATCHES: nothing in the journal up to record 1 has changed"), "\(checked)")
    let verified = try vault.succeed(["verify"])
    #expect(verified.stdout.contains("Anchored: the journal up to record 1, by code \(code)"), "\(verified)")
    #expect(verified.stdout.contains("Not yet anchored: 1 record written after it."))
    let forged = try vault.run(["anchor", "--check", "1-0000-0000-0000-0000"])
    expectCleanFailure(forged, exitCode: 1, messageContains: ["DOES NOT MATCH"])
    // The number changed by hand: the check character catches it.
    let mistyped = try vault.run(["anchor", "--check", String(code.replacingOccurrences(of: "1-", with: "9-"))])
    expectCleanFailure(mistyped, exitCode: 2, messageContains: ["mistyped"])
    let ninth = AnchorCode.make(
      vaultId: Array(repeating: 1, count: 16), sequence: 9, chain: Array(repeating: 2, count: 32),
      signingKey: Array(repeating: 3, count: 32))
    let beyond = try vault.run(["anchor", "--check", ninth])
    expectCleanFailure(beyond, exitCode: 1, messageContains: ["covers 9 records but the journal has 3"])

    let out = vault.root.appendingPathComponent("dossier")
    _ = try vault.succeed(["export", "--out", out.path, "--lang", "en", "--zip"])
    let archive = vault.root.appendingPathComponent("dossier.zip")
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("The journal up to record 1: \(code)"))
    #expect(dossier.contains("1 record is not yet anchored"))
    let mode = try FileManager.default.attributesOfItem(atPath: archive.path)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)

    let binary = try EvidenceRunner.binary()
    for package in [out.path, archive.path] {
      let result = try EvidenceRunner.run(binary, ["verify-export", package, "--anchor", code])
      #expect(result.exitCode == 0, "\(result)")
      #expect(result.stdout.contains("Anchor \(code) matches"), "\(result)")
      // The code names the key: the signer is confirmed.
      #expect(result.stdout.hasPrefix("INTACT AND CONFIRMED"), "\(result)")
      let wrong = try EvidenceRunner.run(binary, ["verify-export", package, "--anchor", "2-0000-0000-0000-0000"])
      #expect(wrong.exitCode == 1)
      #expect(wrong.stdout.contains("Anchor 2-0000-0000-0000-0000 does not match"), "\(wrong)")
    }

    // --force replaces an earlier export and its zip; a folder with other files in it is never emptied.
    let refused = try vault.run(["export", "--out", out.path, "--zip"])
    expectCleanFailure(refused, exitCode: 2, messageContains: ["already exists"])
    _ = try vault.succeed(["export", "--out", out.path, "--zip", "--force", "--lang", "sv"])
    #expect(try EvidenceRunner.run(binary, ["verify-export", archive.path]).exitCode == 0)
    let replaced = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(replaced.contains("Sida 1 av"))
    try Data("mine".utf8).write(to: out.appendingPathComponent("letter.txt"))
    let foreign = try vault.run(["export", "--out", out.path, "--force"])
    expectCleanFailure(foreign, exitCode: 2, messageContains: ["not part of an earlier export (letter.txt)"])
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("dossier.txt").path))
  }

  @Test("a vault that does not verify is exported only with --salvage, which lists what is wrong")
  func salvage() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Första", narrative: "Det första som hände.")
    try vault.addEntry(when: "2026-11-30 08:00", title: "Andra", narrative: "Det andra som hände.")
    var bytes = [UInt8](try vault.journalBytes())
    let last = try #require(journalFrames(Data(bytes)).last)
    bytes[last.offset + last.length / 2] ^= 0x01
    try Data(bytes).write(to: vault.journalURL)
    let out = vault.root.appendingPathComponent("dossier")
    let refused = try vault.run(["export", "--out", out.path])
    expectCleanFailure(refused, exitCode: 1, messageContains: ["does not verify"])
    #expect(refused.stderr.contains("evidence: hint: Add --salvage"))
    #expect(!refused.stderr.contains("not encrypted"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
    let salvaged = try vault.succeed(["export", "--out", out.path, "--salvage", "--lang", "en"])
    #expect(salvaged.stdout.contains("Wrote"))
    let dossier = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    #expect(dossier.contains("Det första som hände."))
    #expect(!dossier.contains("Det andra som hände."))
    #expect(dossier.contains("Problems found (salvage)"))
    let verified = try EvidenceRunner.run(try EvidenceRunner.binary(), ["verify-export", out.path])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.contains("Salvage export"))
  }

  @Test("support lists the help lines in both languages without a vault")
  func support() throws {
    let result = try EvidenceRunner.run(try EvidenceRunner.binary(), ["support"])
    #expect(result.exitCode == 0)
    for number in ["112", "114 14", "116 006", "020-50 50 50", "020-390 000", "08-30 30 20", "020-55 00 00", "116 111"]
    {
      #expect(result.stdout.contains(number), "missing \(number)")
    }
  }
}
