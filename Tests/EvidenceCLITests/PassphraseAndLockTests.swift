import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Changing the passphrase, and a vault in use")
struct PassphraseAndLockTests {
  @Test(
    "passwd changes the passphrase: the old one fails with exit 3, the new one reads the same entries, the journal is untouched"
  )
  func changePassphrase() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    try vault.addEntry(when: "igår 09:00", title: "Passport", narrative: "He kept my passport.")
    let listedBefore = try vault.succeed(["list"])
    let journal = try vault.journalBytes()
    let head = try Data(contentsOf: vault.folder.appendingPathComponent("head.json"))
    let headerBefore = try Data(contentsOf: vault.headerURL)

    let newPassphrase = "lila elefanter dansar tango"
    try vault.writePassphrases([TestVault.passphrase, newPassphrase])
    let changed = try vault.run(["passwd"])
    #expect(changed.exitCode == 0, "\(changed)")
    #expect(changed.stdout.contains("The passphrase was changed."), "\(changed)")

    #expect(try vault.journalBytes() == journal, "passwd must not touch journal.log")
    #expect(try Data(contentsOf: vault.folder.appendingPathComponent("head.json")) == head, "nor head.json")
    #expect(try Data(contentsOf: vault.headerURL) != headerBefore, "the header was rewritten")

    try vault.writePassphrases([TestVault.passphrase])
    let old = try vault.run(["list"])
    expectCleanFailure(old, exitCode: 3, messageContains: ["passphrase is wrong"])

    try vault.writePassphrases([newPassphrase])
    let listedAfter = try vault.succeed(["list"])
    #expect(listedAfter.stdout == listedBefore.stdout)
    #expect(listedAfter.stdoutLines.count == 2, "\(listedAfter)")
    // The old passphrase's failure was recorded: the next unlock added it to the journal after the two records.
    let verified = try vault.succeed(["verify"])
    #expect(verified.stdout.contains("OK: 3 records verify"), "\(verified)")
    #expect(try vault.journalBytes().starts(with: journal))
  }

  @Test("passwd with a wrong current passphrase fails with exit 3 and changes nothing")
  func changePassphraseWithWrongCurrent() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    let before = try vault.snapshotOutsideInbox()
    try vault.writePassphrases(["not the passphrase at all", "lila elefanter dansar tango"])
    let result = try vault.run(["passwd"])
    expectCleanFailure(result, exitCode: 3, messageContains: ["passphrase is wrong"])
    let after = try vault.snapshotOutsideInbox()
    #expect(after.files == before.files)
    #expect(after.inboxFiles == before.inboxFiles + 1, "the wrong passphrase is recorded in inbox/")
    try vault.writePassphrases([TestVault.passphrase])
    try vault.succeed(["list"])
  }

  @Test("A vault locked by another process is reported busy, with exit 4, within about 5 seconds")
  func busy() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.addEntry(when: "igår 22:30", title: "Threats", narrative: "He said he would find me.")
    let journal = try vault.journalBytes()

    // An flock taken through our own open file description excludes the child's, as another process's would.
    let lockPath = vault.folder.appendingPathComponent("lock").path
    let descriptor = open(lockPath, O_RDWR | O_CLOEXEC)
    try #require(descriptor >= 0, "cannot open \(lockPath)")
    defer { close(descriptor) }
    try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0, "cannot take the lock")

    let listed = try vault.run(["list"])
    expectCleanFailure(listed, exitCode: 4, messageContains: ["busy"])
    #expect(listed.duration < 5, "took \(listed.duration) s")

    let added = try vault.run(
      ["add", "--when", "igår 10:00", "--title", "More", "--narrative-file", "-"], stdin: "More threats.")
    expectCleanFailure(added, exitCode: 4, messageContains: ["busy"])
    #expect(try vault.journalBytes() == journal)

    // Released, the vault works again.
    flock(descriptor, LOCK_UN)
    let again = try vault.succeed(["list"])
    #expect(again.stdout.contains("Threats"), "\(again)")
  }
}
