import Foundation
import Testing

@testable import EvidenceVault

/// `wipe` destroys the key first, then everything else, without the passphrase.
@Suite struct WipeTests {
  @Test func aWipedVaultIsGoneAndACopyMadeWithoutItsHeaderCannotBeOpened() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let folder = root.appendingPathComponent("vault")
    let photo = root.appendingPathComponent("photo.jpg")
    do {
      let vault = try Vault.create(
        at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
      try Data(repeating: 3, count: 90_000).write(to: photo)
      _ = try vault.addEntry(TestVaults.sampleEntry(), attaching: [photo])
    }
    // What someone copied before the wipe: everything but the header.
    let copy = root.appendingPathComponent("copy")
    try FileManager.default.copyItem(at: folder, to: copy)
    try FileManager.default.removeItem(at: copy.appendingPathComponent("vault.json"))
    let header = try readBytes(folder.appendingPathComponent("vault.json"))

    let outcome = try Vault.wipe(at: folder)
    #expect(outcome.overwritten == ["vault.json"])
    #expect(!FileManager.default.fileExists(atPath: folder.path), "the vault folder is gone")
    #expect(outcome.removedCount >= 6)
    // The copy without the header opens with no passphrase; with the header's bytes from before, the copy opens,
    // which is why the header must be destroyed and not merely hidden.
    #expect(throws: VaultError.self) { _ = try Vault.open(at: copy, passphrase: TestVaults.passphrase()) }
    try writeBytes(header, to: copy.appendingPathComponent("vault.json"))
    #expect(try Vault.open(at: copy, passphrase: TestVaults.passphrase()).records.count == 2)
  }

  @Test func aPendingChangeOfKeysIsOverwrittenTooAndNoPassphraseIsNeeded() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    _ = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    try Data("{\"wrapped\":\"keys\"}".utf8).write(to: folder.appendingPathComponent("rekey.pending"))
    try Data("leftover".utf8).write(to: folder.appendingPathComponent(".vault.json.tmp-123"))
    let outcome = try Vault.wipe(at: folder)
    #expect(outcome.overwritten == ["vault.json", ".vault.json.tmp-123", "rekey.pending"])
    #expect(!FileManager.default.fileExists(atPath: folder.path))
  }

  @Test func wipingWhereThereIsNoVaultRemovesNothing() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    #expect(throws: VaultError.self) { _ = try Vault.wipe(at: folder) }
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
  }
}
