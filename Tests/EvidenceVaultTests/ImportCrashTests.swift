import Foundation
import Testing

@testable import EvidenceVault

/// An import adds all its messages or none, even when the process dies in the middle of it.
@Suite struct ImportCrashTests {
  /// A message of about 50 KB, so that a hundred of them fill more than one 4 MiB write of frames.
  static func bigMessage(_ number: Int) -> Message {
    Message(
      channel: .email, direction: .received, from: .init(address: "marko@example.com"),
      sentAt: Date(timeIntervalSince1970: 1_795_958_520 + Double(number) * 60),
      text: "Mejl \(number): " + String(repeating: "Du ska betala. ", count: 3_400))
  }

  /// The vault folder as a crash in the middle of an import leaves it: a copy taken while the import is running,
  /// after more than 4 MiB of its frames reached the journal.
  static func crashedMidImport(root: URL) throws -> (crashed: URL, journalBefore: Int) {
    let folder = root.appendingPathComponent("vault")
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    try vault.addEntry(TestVaults.sampleEntry())
    let journalBefore = try Data(contentsOf: TestVaults.journal(folder)).count
    let export = root.appendingPathComponent("inbox.mbox")
    try Data("From x\n".utf8).write(to: export)
    let crashed = root.appendingPathComponent("crashed")
    _ = try vault.importMessages(from: export) { session in
      for number in 1...120 { try session.add(bigMessage(number), attachments: []) }
      #expect(try Data(contentsOf: TestVaults.journal(folder)).count > journalBefore + (4 << 20))
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
      try FileManager.default.copyItem(at: folder, to: crashed)
    }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
    return (crashed, journalBefore)
  }

  @Test func anImportCutShortByACrashIsCutOffWholeAndItsBytesKept() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let (crashed, journalBefore) = try Self.crashedMidImport(root: root)
    let crashedJournal = try Data(contentsOf: TestVaults.journal(crashed)).count

    let vault = try Vault.open(at: crashed, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(
      vault.integrity.notices.contains {
        $0.hasPrefix("A save of several records (an import, or an entry with its attachments) was interrupted")
      })
    #expect(vault.records.count == 1 && vault.index.messages.isEmpty && vault.index.entries.count == 1)
    #expect(try Data(contentsOf: TestVaults.journal(crashed)).count == journalBefore)
    let quarantined = try FileManager.default.contentsOfDirectory(
      atPath: crashed.appendingPathComponent("quarantine").path)
    #expect(quarantined.count == 1 && quarantined[0].hasPrefix("unfinished-write-"))
    let kept = try Data(contentsOf: crashed.appendingPathComponent("quarantine").appendingPathComponent(quarantined[0]))
    #expect(kept.count == crashedJournal - journalBefore, "every byte of the unfinished import is kept")
    #expect(!FileManager.default.fileExists(atPath: crashed.appendingPathComponent("write.pending").path))
    // The vault is writable again, and the completed import in the original folder has every message.
    try vault.addEntry(TestVaults.sampleEntry(title: "After the crash"))
    let original = try Vault.open(at: root.appendingPathComponent("vault"), passphrase: TestVaults.passphrase())
    #expect(original.integrity.isIntact && original.index.messages.count == 120)
  }

  @Test func aMarkerThatDoesNotFitTheJournalCutsNothing() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let folder = root.appendingPathComponent("vault")
    do {
      let vault = try Vault.create(
        at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
      try vault.addEntry(TestVaults.sampleEntry(title: "One"))
      try vault.addEntry(TestVaults.sampleEntry(title: "Two"))
    }
    let journal = try Data(contentsOf: TestVaults.journal(folder))
    let firstEnd = TestVaults.frames(Array(journal))[0].upperBound
    // Left after a commit (the signed head is past it), planted in the middle of a frame, or naming more records
    // than verify: each is removed and nothing is cut.
    for marker in [
      WriteMarker(journalSize: firstEnd, sequence: 1), WriteMarker(journalSize: firstEnd - 5, sequence: 2),
      WriteMarker(journalSize: firstEnd, sequence: 7),
    ] {
      try marker.write(in: folder)
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      #expect(vault.integrity.isIntact && vault.records.count == 2, "\(marker)")
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
    }
    #expect(try Data(contentsOf: TestVaults.journal(folder)) == journal)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("quarantine").path))
  }
}
