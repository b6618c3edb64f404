import Foundation
import Testing

@testable import EvidenceVault

/// Wrong passphrases: sealed to the inbox by the library before `wrongPassphrase` is thrown, taken in as `access`
/// records at the next unlock.
@Suite struct AccessAttemptTests {
  static let canary = "canary-Wr0ngPass-7f3e"
  static let failedAt = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z
  static let later = Date(timeIntervalSince1970: 1_796_036_400)  // 2026-11-30T11:00:00Z

  static func items(_ folder: URL) -> [URL] {
    let inbox = folder.appendingPathComponent("inbox")
    return ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []).sorted()
      .filter { $0.hasSuffix(".item") }.map { inbox.appendingPathComponent($0) }
  }

  /// Opens with the wrong passphrase, which must fail as a wrong passphrase does.
  static func failToOpen(_ folder: URL, command: String = "list", viaTerminal: Bool = false) {
    do {
      _ = try Vault.open(
        at: folder, passphrase: TestVaults.passphrase(canary), clock: { failedAt },
        attempt: UnlockAttempt(command: command, viaTerminal: viaTerminal))
      Issue.record("a wrong passphrase opened the vault")
    } catch {
      #expect(error.code == .wrongPassphrase)
      #expect(error.message == "The passphrase is wrong (or the vault header was altered).")
    }
  }

  static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
    guard bytes.count >= part.count else { return false }
    return (0...(bytes.count - part.count)).contains { bytes[$0..<($0 + part.count)].elementsEqual(part) }
  }

  @Test func aWrongPassphraseSealsWhenWhichCommandAndHowAndNothingOfThePassphrase() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    Self.failToOpen(folder, command: "person add", viaTerminal: true)
    let items = Self.items(folder)
    try #require(items.count == 1)
    let bytes = try readBytes(items[0])
    #expect(Array(bytes.prefix(5)) == InboxItem.magic + [3])
    #expect(!Self.contains(bytes, Array(Self.canary.utf8.prefix(6))))
    #expect(!Self.contains(bytes, Array(Self.canary.utf8.suffix(6))))

    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), takingInInbox: false)
    let json = try vault.keys.inbox.open(bytes, from: InboxItem.prefixByteCount)
    #expect(
      String(decoding: json, as: UTF8.self)
        == #"{"command":"person add","entry":"terminal","failedAt":"2026-11-30T00:53:20Z"}"#)
  }

  @Test func theNextUnlockTakesThemInFirstInOrderAndOnlyOnce() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    Self.failToOpen(folder, command: "list")
    Self.failToOpen(folder, command: "show")
    Self.failToOpen(folder, command: "verify", viaTerminal: true)
    try InboxTests.write("A note", to: folder)
    let kept = try Self.items(folder).map { ($0, try readBytes($0)) }
    #expect(kept.count == 4)

    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: { Self.later })
      #expect(vault.newAccessAttempts.map(\.command) == ["list", "show", "verify"])
      #expect(vault.newAccessAttempts.map(\.entry) == [.descriptor, .descriptor, .terminal])
      #expect(vault.newAccessAttempts.allSatisfy { $0.failedAt == "2026-11-30T00:53:20Z" })
      #expect(vault.newAccessAttempts.allSatisfy { $0.stamp.recordedAt == "2026-11-30T11:00:00Z" })
      #expect(vault.inboxIntake.entryNumbers == [2])
      // The access records come before the note's entry in the journal.
      #expect(
        vault.records.suffix(4).map { if case .access = $0.record { true } else { false } } == [
          true, true, true, false,
        ])
      #expect(vault.index.accessAttempts.count == 3)
      #expect(Self.items(folder).isEmpty)
      for stored in vault.records {
        guard case .access(let attempt) = stored.record else { continue }
        #expect(RecordCodec.encode(stored.record) == stored.bytes)
        #expect(RecordCodec.encodeWithJSONEncoder(stored.record) == stored.bytes)
        #expect(try RecordCodec.decode(stored.bytes) == .access(attempt))
        #expect(attempt.intake?.via == "failed-unlock")
        let (status, output) = try SchemaTests.validate(stored.bytes, against: "record-access.schema.json")
        #expect(status == 0, "\(output)")
      }
    }
    // A crash between the append and the items' removal leaves them: the next open only removes them.
    for (url, bytes) in kept.prefix(3) { try writeBytes(bytes, to: url) }
    let again = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(again.newAccessAttempts.isEmpty)
    #expect(again.index.accessAttempts.count == 3)
    #expect(Self.items(folder).isEmpty)
    #expect(again.integrity.isIntact)
  }

  @Test func changingThePassphraseRekeyingAndUpgradingRecordAWrongOne() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let wrong = TestVaults.passphrase(Self.canary)
    let new = TestVaults.passphrase("a new one")
    #expect(throws: VaultError.self) {
      try Vault.changePassphrase(
        at: folder, from: wrong, to: new, clock: { Self.failedAt },
        attempt: UnlockAttempt(command: "passwd", viaTerminal: true))
    }
    #expect(throws: VaultError.self) {
      _ = try Vault.rekey(
        at: folder, from: wrong, to: new, clock: { Self.failedAt },
        attempt: UnlockAttempt(command: "passwd", viaTerminal: false))
    }
    #expect(throws: VaultError.self) {
      _ = try Vault.upgrade(
        at: folder, passphrase: wrong, clock: { Self.failedAt },
        attempt: UnlockAttempt(command: "upgrade", viaTerminal: false))
    }
    #expect(Self.items(folder).count == 3)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.newAccessAttempts.map(\.command) == ["passwd", "passwd", "upgrade"])
    #expect(vault.newAccessAttempts.map(\.entry) == [.terminal, .descriptor, .descriptor])
  }

  @Test func aChangeOfKeysTakesThemInFirstAndSaysSo() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    Self.failToOpen(folder, command: "list")
    let outcome = try Vault.rekey(
      at: folder, from: TestVaults.passphrase(), to: TestVaults.passphrase("a new one"), clock: { Self.later })
    #expect(outcome.newAccessAttempts.map(\.command) == ["list"])
    #expect(outcome.records == 2, "the access record is re-encrypted with the rest")
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase("a new one"))
    #expect(vault.index.accessAttempts.count == 1 && vault.newAccessAttempts.isEmpty)
  }

  @Test func aRecordOfAFailedUnlockThatDoesNotOpenOrSaysTooMuchIsQuarantined() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let other = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(other) }
    Self.failToOpen(other)
    let foreign = try #require(Self.items(other).first)
    try FileManager.default.copyItem(
      at: foreign, to: folder.appendingPathComponent("inbox").appendingPathComponent(foreign.lastPathComponent))
    // Sealed to this vault, but with a command full of control characters.
    let publicKey = try QuickNoteWriter.inboxPublicKey(of: folder)
    let hostile = Array(#"{"command":"list\u001b[2J","entry":"terminal","failedAt":"2026-11-30T00:53:20Z"}"#.utf8)
    let sealed = hostile.withUnsafeBytes { InboxKey.seal($0, to: publicKey) }
    try writeBytes(
      InboxItem.magic + [3] + sealed, to: folder.appendingPathComponent("inbox/2026-11-30T005320.000000000Z-00.item"))

    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.newAccessAttempts.isEmpty)
    #expect(vault.inboxIntake.quarantined.count == 2)
    #expect(Self.items(folder).isEmpty)
    #expect(vault.records.isEmpty)
  }

  @Test func theCommandNameIsCleanedAndCut() {
    #expect(FailedUnlockLog.cleaned("list\u{1b}[2J") == "list[2J")
    #expect(FailedUnlockLog.cleaned(String(repeating: "å", count: 40)).utf8.count == 64)
    #expect(FailedUnlockLog.cleaned("\n") == "unnamed")
  }

  @Test(.enabled(if: SmallDisk.canMount, "mounting a tmpfs needs root"))
  func onAReadOnlyDiskNothingIsWrittenAndTheErrorIsTheSame() throws {
    let disk = try SmallDisk(megabytes: 16)
    defer { disk.unmount() }
    let folder = disk.folder.appendingPathComponent("vault")
    _ = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    try disk.remountReadOnly()
    Self.failToOpen(folder)
    #expect(Self.items(folder).isEmpty)
  }
}
