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

    // The officer: no vault, no passphrase.
    let binary = try EvidenceRunner.binary()
    let verified = try EvidenceRunner.run(binary, ["verify-export", out.path])
    #expect(verified.exitCode == 0, "\(verified)")
    #expect(verified.stdout.hasPrefix("INTACT"))

    var bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("dossier.txt")))
    bytes[bytes.count / 2] ^= 0x01
    try Data(bytes).write(to: out.appendingPathComponent("dossier.txt"))
    let changed = try EvidenceRunner.run(binary, ["verify-export", out.path])
    #expect(changed.exitCode == 1)
    #expect(changed.stdout.contains("dossier.txt was changed"), "\(changed)")

    let again = try vault.run(["export", "--out", out.path])
    expectCleanFailure(again, exitCode: 2, messageContains: ["already holds files"])
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
