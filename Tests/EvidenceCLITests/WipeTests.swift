import Foundation
import Testing

/// `evidence wipe`, as the person runs it: refused without a backup, confirmed by a typed word or a flag, and no
/// passphrase asked.
@Suite struct WipeCommandTests {
  @Test func withoutABackupWipeRefusesAndChangesNothing() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 10:00", title: "Threats", narrative: "He said he would find me.")
    let before = try vault.snapshot()
    let refused = try vault.run(["wipe", "--confirm-erase"])
    expectCleanFailure(refused, exitCode: 2, messageContains: ["no backup of this vault"])
    #expect(refused.stderr.contains("--without-backup"))
    #expect(try vault.snapshot() == before)
  }

  @Test func withTheFlagsNoFileRemainsAndTheFolderIsGone() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 10:00", title: "Threats", narrative: "He said he would find me.")
    // No passphrase on fd 3 at all: wipe must not need one.
    let wiped = try EvidenceRunner.run(
      vault.binary, ["wipe", "--without-backup", "--confirm-erase", "--vault", vault.folder.path])
    #expect(wiped.exitCode == 0, "\(wiped)")
    #expect(wiped.stdout.contains("Wiped: the key file was overwritten and removed"))
    #expect(!FileManager.default.fileExists(atPath: vault.folder.path))
  }

  @Test func inAScriptWithoutConfirmationNothingIsWiped() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let before = try vault.snapshot()
    let refused = try vault.run(["wipe", "--without-backup"])
    expectCleanFailure(refused, exitCode: 2, messageContains: ["Nothing was wiped"])
    #expect(try vault.snapshot() == before)
  }

  @Test func onATerminalAWrongWordStopsAndRaderaWipes() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let (status, text) = try EvidenceRunner.session("wipe_session.py", [vault.folder.path])
    #expect(status == 0, "\(text)")
    #expect(text.contains("wipe session: ok"))
  }
}
