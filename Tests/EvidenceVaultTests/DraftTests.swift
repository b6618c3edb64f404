import Foundation
import Testing

@testable import EvidenceVault

#if canImport(Glibc)
  import Glibc
#endif

/// Drafts in the library: sealed without the passphrase, found at the next open (never taken into the journal on
/// their own), each once at its newest save, kept as a quick note or discarded on request.
@Suite struct DraftTests {
  static let zone = TimeZone(identifier: "Europe/Stockholm") ?? .current

  /// A clock the test moves by hand.
  final class Clock: @unchecked Sendable {
    var now: Date
    init(_ start: Date) { now = start }
    func read() -> Date { now }
    func advance(_ seconds: TimeInterval) { now += seconds }
  }

  func items(_ vault: URL) -> [String] {
    InboxReader(folder: vault.appendingPathComponent(Vault.Layout.inbox)).itemNames()
  }

  @Test func aDraftIsSealedAfterEachSaveAndReplacesItsEarlierCopy() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let clock = Clock(Date(timeIntervalSince1970: 1_764_500_000))

    let writer = try DraftWriter(vaultAt: folder, command: "add", timeZone: Self.zone, clock: clock.read)
    try writer.save(["when": "igår 22:30"])
    clock.advance(5)
    try writer.save(["when": "igår 22:30", "title": "Vid dörren — hemligt-ord-42"])
    #expect(items(folder).count == 1)
    let bytes = try Data(contentsOf: folder.appendingPathComponent("inbox/" + items(folder)[0]))
    #expect(bytes.range(of: Data("hemligt-ord-42".utf8)) == nil)
    #expect(bytes.range(of: Data("igår".utf8)) == nil)

    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: clock.read)
    let drafts = vault.drafts(of: "add")
    #expect(drafts.count == 1)
    #expect(drafts.first?.answers == ["when": "igår 22:30", "title": "Vid dörren — hemligt-ord-42"])
    #expect(drafts.first?.startedAt == Date(timeIntervalSince1970: 1_764_500_000))
    #expect(vault.drafts(of: "message add").isEmpty)
    // Never taken in on its own: no record, and it stays in inbox/.
    #expect(vault.index.entries.isEmpty)
    #expect(items(folder).count == 1)
  }

  @Test func aCrashBetweenTwoSavesLeavesTwoCopiesAndTheNewestIsOffered() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let clock = Clock(Date(timeIntervalSince1970: 1_764_500_000))
    let first = try DraftWriter(vaultAt: folder, command: "add", timeZone: Self.zone, clock: clock.read)
    try first.save(["title": "old"])
    let kept = items(folder)
    // The copy a crash leaves: the older item is put back beside the newer one.
    let inbox = folder.appendingPathComponent("inbox")
    let oldBytes = try Data(contentsOf: inbox.appendingPathComponent(kept[0]))
    clock.advance(10)
    try first.save(["title": "new"])
    try oldBytes.write(to: inbox.appendingPathComponent(kept[0]))
    #expect(items(folder).count == 2)

    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: clock.read)
    let drafts = vault.drafts(of: "add")
    #expect(drafts.count == 1)
    #expect(drafts.first?.answers["title"] == "new")
    // Resuming it and saving once removes both copies.
    let resumed = try DraftWriter(
      vaultAt: folder, command: "add", timeZone: Self.zone, clock: clock.read, resuming: drafts[0])
    try resumed.save(["title": "newer"])
    #expect(items(folder).count == 1)
    try resumed.discard()
    #expect(items(folder).isEmpty)
  }

  @Test func aDraftKeptAsAQuickNoteBecomesAnEntryNotedWhenTheDraftBegan() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let clock = Clock(Date(timeIntervalSince1970: 1_764_500_000))
    let writer = try DraftWriter(vaultAt: folder, command: "add", timeZone: Self.zone, clock: clock.read)
    try writer.save(["title": "Vid dörren", "narrative": "Han bankade på dörren."])
    clock.advance(3600)
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: clock.read)
    let draft = try #require(vault.drafts(of: "add").first)
    let number = try vault.keepAsQuickNote(draft, text: "Vid dörren\n\nHan bankade på dörren.")
    #expect(number == 1)
    let entry = try vault.index.entry(number: 1).current
    #expect(entry.narrative == "Vid dörren\n\nHan bankade på dörren.")
    #expect(entry.occurred.startDate == Date(timeIntervalSince1970: 1_764_500_000))
    #expect(entry.intake?.via == Intake.quickNote)
    #expect(items(folder).isEmpty)
    #expect(vault.drafts(of: "add").isEmpty)
  }

  @Test func aDiscardedDraftLeavesNothing() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let clock = Clock(Date(timeIntervalSince1970: 1_764_500_000))
    try DraftWriter(vaultAt: folder, command: "add", timeZone: Self.zone, clock: clock.read).save(["title": "x"])
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: clock.read)
      try vault.discard(try #require(vault.drafts(of: "add").first))
      #expect(items(folder).isEmpty)
    }
    let again = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: clock.read)
    #expect(again.drafts(of: "add").isEmpty)
  }

  @Test func aDraftThatDoesNotOpenOrBreaksTheCapsIsQuarantinedNotOffered() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let clock = Clock(Date(timeIntervalSince1970: 1_764_500_000))
    let inbox = folder.appendingPathComponent("inbox")
    // Sealed to this vault, but with a question name no writer makes.
    let publicKey = try QuickNoteWriter.inboxPublicKey(of: folder)
    let hostile = Draft.Sealed(
      answers: ["../../etc": "x"], command: "add", id: "00000000-0000-4000-8000-000000000000",
      savedAt: "2026-11-30T11:00:00Z", startedAt: "2026-11-30T11:00:00Z", timeZone: "UTC")
    let sealed = InboxItem.encode(hostile).withUnsafeBytes { InboxKey.seal($0, to: publicKey) }
    try Data(InboxItem.magic + [2] + sealed).write(
      to: inbox.appendingPathComponent("2026-11-30T110000.000000000Z-00.item"))
    // Not sealed to this vault at all.
    try Data(InboxItem.magic + [2] + [UInt8](repeating: 7, count: 80)).write(
      to: inbox.appendingPathComponent("2026-11-30T110001.000000000Z-01.item"))
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: clock.read)
    #expect(vault.drafts(of: "add").isEmpty)
    #expect(vault.inboxIntake.quarantined.count == 2)
    #expect(items(folder).isEmpty)
  }
}
