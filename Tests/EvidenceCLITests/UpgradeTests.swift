import Foundation
import Testing

/// `evidence upgrade`, on the committed fixture vault, which was made in format version 1.
@Suite("Upgrading a version 1 vault, as the person runs it")
struct UpgradeTests {
  /// A copy of the fixture vault (format version 1), whose passphrase is the tests' usual one.
  private func versionOneVault() throws -> TestVault {
    let vault = try TestVault(initialize: false)
    let fixture = EvidenceRunner.packageRoot.appendingPathComponent("Tests/EvidenceReportTests/Fixtures/vault")
    try FileManager.default.copyItem(at: fixture, to: vault.folder)
    return vault
  }

  @Test("A version 1 vault opens with a note that points to upgrade; upgrade keeps every record and the head")
  func upgradeKeepsEverything() throws {
    let vault = try versionOneVault()
    defer { vault.remove() }
    let listed = try vault.succeed(["list"])
    #expect(listed.stderr.contains("format version 1") && listed.stderr.contains("evidence upgrade"), "\(listed)")
    let verified = try vault.succeed(["verify"])
    let shown = try vault.succeed(["show", "1", "--history"])

    let upgraded = try vault.succeed(["upgrade"])
    #expect(upgraded.stdout.contains("Upgraded to format version 2"), "\(upgraded)")
    #expect(try vault.journalBytes().prefix(4) == Data("EVJ2".utf8))
    let header = try String(contentsOf: vault.headerURL, encoding: .utf8)
    #expect(header.contains("\"version\" : 2"))

    let listedAfter = try vault.succeed(["list"])
    #expect(listedAfter.stdout == listed.stdout)
    #expect(!listedAfter.stderr.contains("format version 1"), "\(listedAfter)")
    #expect(try vault.succeed(["show", "1", "--history"]).stdout == shown.stdout)
    // The chain is the same: verify reports the same head.
    let head = verified.stdoutLines.filter { $0.hasPrefix("Head: ") }
    #expect(!head.isEmpty)
    #expect(try vault.succeed(["verify"]).stdoutLines.filter { $0.hasPrefix("Head: ") } == head)

    let again = try vault.succeed(["upgrade"])
    #expect(again.stdout.contains("already in the newest format"), "\(again)")
    try vault.addEntry(when: "igår 08:00", title: "After the upgrade", narrative: "Written in version 2.")
  }

  @Test("A wrong passphrase upgrades nothing (exit 3)")
  func wrongPassphrase() throws {
    let vault = try versionOneVault()
    defer { vault.remove() }
    let before = try vault.snapshotOutsideInbox()
    try vault.writePassphrases(["not the passphrase"])
    let result = try vault.run(["upgrade"])
    expectCleanFailure(result, exitCode: 3, messageContains: ["passphrase"])
    let after = try vault.snapshotOutsideInbox()
    #expect(after.files == before.files)
    #expect(after.inboxFiles == before.inboxFiles + 1, "the wrong passphrase is recorded in inbox/")
  }
}
